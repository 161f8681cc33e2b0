package org.edgeq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's reproductions of defects 2, 3, 11 and 15 through the command line: each exits 2 with one line (plus the
 * --help hint for options) and writes nothing.
 */
class HostileModelInputsCliTest {

    @TempDir
    Path dir;

    private static void assertRefused(CliTest.Run r, String mentions) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out(), "nothing on stdout");
        List<String> lines = r.errLines();
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("Try 'edgeq"), "one line: " + r.err());
        assertTrue(lines.get(0).contains(mentions), "names '" + mentions + "': " + lines.get(0));
    }

    @Test
    void trainWithMillionWideHiddenLayersIsRefusedWithTheParameterCountItWouldNeed() {
        Path out = dir.resolve("m");
        assertRefused(CliTest.run("train", "--model", "dense", "--hidden", "1000000,1000000", "--out", out.toString()),
                "dense with hidden [1000000, 1000000] on input [16] needs 1,000,021,000,003 parameters; at most 2,147,483,647 supported");
        assertFalse(Files.exists(out));
    }

    @Test
    void infoRefusesSizesPastTheCapAndDescribesTwentyThousandWideLayersFromShapes() throws Exception {
        assertRefused(CliTest.run("info", "--arch", "dense", "--input-shape", "16", "--hidden", "2000000000"), "--hidden 2000000000 is outside 1..1000000");
        assertRefused(CliTest.run("info", "--arch", "dense", "--input-shape", "16", "--hidden", "1000000,1000000"), "needs 1,000,028,000,010 parameters");
        assertRefused(CliTest.run("info", "--arch", "dense", "--input-shape", "1,100000,100000"), "has 10,000,000,000 values per sample");
        CliTest.Run r = CliTest.run("info", "--arch", "dense", "--input-shape", "16", "--hidden", "20000,20000", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(16L * 20_000 + 20_000 + 20_000L * 20_000 + 20_000 + 20_000L * 10 + 10, r.lastJson().get("parameters").asLong());
    }

    @Test
    void nonFiniteOptionsAreRefusedAtParse() {
        assertRefused(CliTest.run("train", "--dropout", "NaN"), "NaN");
        assertRefused(CliTest.run("train", "--lr", "NaN"), "NaN");
        assertRefused(CliTest.run("train", "--lr", "inf"), "inf");
        assertRefused(CliTest.run("train", "--lr", "1e400"), "1e400");
        assertRefused(CliTest.run("train", "--weight-decay", "Infinity"), "Infinity");
        assertRefused(CliTest.run("train", "--dropout", "1.5"), "--dropout 1.5 is outside [0, 1)");
        assertRefused(CliTest.run("prune", "--model", dir.toString(), "--ratio", "NaN"), "NaN");
        assertRefused(CliTest.run("distill", "--teacher", dir.toString(), "--student", "dense-simple", "--temperature", "1e30"),
                "--temperature 1.0E30 is outside (0, 1000]");
    }

    @Test
    void singleClassLabelSetIsRefusedInOneLine() throws Exception {
        Path csv = dir.resolve("one.csv");
        StringBuilder b = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 40; i++) b.append(i).append(',').append(i % 7).append(",yes\n");
        Files.writeString(csv, b);
        Path out = dir.resolve("m");
        CliTest.Run r = CliTest.run("train", "--dataset", csv.toString(), "--target", "y", "--out", out.toString());
        assertRefused(r, "a single class ('yes'); classification needs at least two");
        assertFalse(Files.exists(out));
    }

    @Test
    void nanWeightIsRefusedByEvalAndQuantizeWritesNoRowFirst() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path weights = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(8 + (int) headerLength, Float.NaN);
        Files.write(weights, bytes);
        CliTest.Run eval = CliTest.run("eval", "--model", model.toString());
        assertRefused(eval, "is NaN (weights must be finite)");
        Path out = dir.resolve("q");
        Path csv = dir.resolve("results.csv");
        CliTest.Run q = CliTest.run("quantize", "--model", model.toString(), "--method", "rounding", "--bits", "4",
                "--out", out.toString(), "--csv", csv.toString());
        assertRefused(q, "is NaN");
        assertFalse(Files.exists(csv), "no FP32 row written before the refusal");
        assertFalse(Files.exists(out.resolve("results.csv")), "no FP32 row written before the refusal");
    }
}
