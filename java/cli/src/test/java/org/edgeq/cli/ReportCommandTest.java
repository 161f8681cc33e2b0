package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeq report} on the command line: EdgeQ's and the seed's files together, --json, bad input refused. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private Path edgeqResults() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.open(f);
        csv.append(row("fp32", 32, 0.85, 1000, 10.0));
        csv.append(row("rounding", 8, 0.848, 400, 4.0));
        csv.append(row("rounding", 4, 0.83, 250, 2.5));
        return f;
    }

    private static ResultRow row(String method, int bits, double acc, long size, double energyUj) {
        ResultRow.Builder b = ResultRow.builder().dataset("churn").model("dense-simple").seed(42L).method(method)
                .wBits(bits).sparsity(0).testAcc(acc).testLoss(1 - acc).sizeBytes(size).estEnergyUjPerInference(energyUj)
                .latencyMsP50(0.01).energy(0.5, "estimate").edgeqVersion("0.1.0-test");
        if (!method.equals("fp32")) b.set("uniform").granularity("per-tensor");
        return b.build();
    }

    private String seedFixture(String name) {
        return ResourceFiles.file("/seed-results/" + name, dir.resolve("resources")).toString();
    }

    @Test
    void writesTheReportOfEdgeqsAndTheSeedsFilesAndEndsWithOneJsonLine() throws Exception {
        Path out = dir.resolve("rep");
        CliTest.Run r = CliTest.run("report", edgeqResults().toString(), seedFixture("quantization.csv"),
                seedFixture("pruning.csv"), "--out", out.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("smallest model within 1 point of FP32") && r.out().contains("rounding · uniform · 8-bit"), r.out());
        JsonNode j = r.lastJson();
        assertEquals(out.resolve("report.html").toString(), j.get("report").asText());
        assertTrue(Files.isRegularFile(out.resolve("report.html")) && Files.isRegularFile(out.resolve("summary.md")));
        assertFalse(j.get("plots").isEmpty());
        for (JsonNode p : j.get("plots")) assertTrue(Files.isRegularFile(Path.of(p.asText())), p.asText());
        assertEquals(3, j.get("sources").size());
        assertEquals("EdgeQ", j.get("sources").get(0).get("origin").asText());
        assertTrue(Files.exists(out.resolve("plots/churn-dense-simple-bits-rounding.png")), "EdgeQ's and the seed's churn curves in one plot");
    }

    @Test
    void aFileOfNeitherKindIsBadInputWithItsLineAndNothingIsWritten() throws Exception {
        Path bad = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        Path out = dir.resolve("rep");
        CliTest.Run r = CliTest.run("report", edgeqResults().toString(), bad.toString(), "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains(bad + ":1:"), r.err());
        assertFalse(Files.exists(out), "every file is read before anything is written");
    }

    @Test
    void anOutThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        CliTest.Run r = CliTest.run("report", edgeqResults().toString(), "--out", file.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("is a file, not a directory"), r.err());
    }
}
