package org.edgeq.cli;

import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.export.CompressedModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, defects 1, 9 and 10 through the command line: oversized, non-regular and non-UTF-8 inputs and absurd
 * batch sizes are refused with one line and exit 2 before anything big is allocated, and an {@link Error} ends as
 * one line with exit 1, never a stack trace.
 */
class HostileInputCliTest {
    private static final Duration FAST = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    private Path trainedModel() {
        Path out = dir.resolve("model");
        CliTest.Run r = run("train", "--epochs", "1", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return out;
    }

    /** Exit 2, nothing on stdout, and a first line (the only one, or the one before picocli's hint) that mentions {@code text}. */
    private static void assertRefused(CliTest.Run r, String text) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        List<String> lines = r.errLines();
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("Try '"), r.err());
        assertTrue(lines.get(0).contains(text), lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void trainOnATwoGigabyteSparseDatFileIsRefusedAtOnce() throws Exception {
        Path dat = dir.resolve("x.dat");
        try (RandomAccessFile f = new RandomAccessFile(dat.toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        CliTest.Run r = assertTimeoutPreemptively(FAST, () -> run("train", "--dataset", dat.toString()));
        assertRefused(r, dat + ": is 2147483648 bytes, over the 256 MiB cap");
    }

    @Test
    void trainOnANonUtf8DatFileNamesFileLineAndByte() throws Exception {
        Path dat = dir.resolve("junk.dat");
        Files.write(dat, "1,2,3,4,5,6,7,8,9,10,g\n1,2,\u00c3(,4\n".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(run("train", "--dataset", dat.toString()), dat + ":2: not valid UTF-8 (byte 0xc3)");
    }

    @Test
    void evalRefusesModelJsonSymlinkedToDevZero() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path model = trainedModel();
        Files.delete(model.resolve("model.json"));
        Files.createSymbolicLink(model.resolve("model.json"), Path.of("/dev/zero"));
        CliTest.Run r = assertTimeoutPreemptively(FAST, () -> run("eval", "--model", model.toString()));
        assertRefused(r, "model.json: not a regular file (a character device)");
    }

    @Test
    void evalRefusesSplitJsonThatIsNotUtf8ByLine() throws Exception {
        Path model = trainedModel();
        Files.write(model.resolve("split.json"), "{\"dataset\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(run("eval", "--model", model.toString()), model.resolve("split.json") + ":1: not valid UTF-8 (byte 0xff)");
    }

    @Test
    void evalRefusesWeightsSymlinkedToDevZero() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path model = trainedModel();
        Files.delete(model.resolve("model.safetensors"));
        Files.createSymbolicLink(model.resolve("model.safetensors"), Path.of("/dev/zero"));
        assertRefused(assertTimeoutPreemptively(FAST, () -> run("eval", "--model", model.toString())),
                "model.safetensors: not a regular file (a character device)");
    }

    @Test
    void studyFileThatIsNotUtf8IsRefusedByLine() throws Exception {
        Path yaml = dir.resolve("study.yaml");
        Files.write(yaml, "dataset: telescope\nbits: [8, \u00ff]\n".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(run("study", "--study", yaml.toString(), "--out", dir.resolve("s").toString()), yaml + ":2: not valid UTF-8 (byte 0xff)");
        assertFalse(Files.exists(dir.resolve("s")), "nothing written");
    }

    @Test
    void reportOnDevZeroIsRefused() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path link = Files.createSymbolicLink(dir.resolve("results.csv"), Path.of("/dev/zero"));
        assertRefused(assertTimeoutPreemptively(FAST, () -> run("report", link.toString(), "--out", dir.resolve("r").toString())),
                link + ": not a regular file (a character device)");
    }

    @Test
    void compressedModelSymlinkedToDevZeroIsRefusedWithoutReading() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path eqz = Files.createSymbolicLink(dir.resolve("model.eqz"), Path.of("/dev/zero"));
        CheckpointFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(CheckpointFormatException.class,
                () -> CompressedModelFile.read(eqz)));
        assertEquals(eqz + ": not a regular file (a character device)", e.getMessage());
    }

    @Test
    void absurdBatchSizesAreRefusedInEveryCommandThatTakesThem() throws Exception {
        Path model = trainedModel();
        String m = model.toString();
        String[][] commands = {
                {"eval", "--model", m, "--batch-size", "2000000000"},
                {"quantize", "--model", m, "--eval-batch-size", "2000000000"},
                {"prune", "--model", m, "--eval-batch-size", "2000000000"},
                {"hwsim", "--model", m, "--batch-size", "2000000000"},
                {"info", "--model", m, "--eval-batch-size", "2000000000"},
                {"info", "--model", m, "--train-batch-size", "2000000000"},
                {"train", "--batch-size", "2000000000"},
                {"study", "--batch-size", "2000000000", "--out", dir.resolve("s").toString()},
        };
        for (String[] c : commands) {
            CliTest.Run r = assertTimeoutPreemptively(FAST, () -> run(c));
            assertRefused(r, "2000000000");
        }
        assertFalse(Files.exists(dir.resolve("s")), "nothing written");
    }

    @Test
    void longOptionValueIsQuotedCutInTheUsageLine() {
        String value = "9".repeat(100) + "x";
        CliTest.Run r = run("train", "--epochs", value);
        assertRefused(r, "'" + "9".repeat(57) + "...' (101 characters)");
        assertFalse(r.err().contains(value), r.err());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Error error;

        Boom(Error error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static CliTest.Run runWith(Error error) {
        CommandLine cli = Main.commandLine();
        cli.addSubcommand("boom", new CommandLine(new Boom(error)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(cli, new String[]{"boom"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliTest.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outOfMemoryErrorEndsAsOneLineWithExitOne() {
        CliTest.Run r = runWith(new OutOfMemoryError("Unable to allocate 128000000048 bytes"));
        assertEquals(ExitCodes.FAILURE, r.code());
        assertEquals(List.of("edgeq boom: out of memory (Unable to allocate 128000000048 bytes); try a smaller --batch-size or "
                + "dataset, or more heap: EDGEQ_JAVA_OPTS=-Xmx8g (EDGEQ_DEBUG=1 shows the stack trace)"), r.errLines());
    }

    @Test
    void stackOverflowErrorEndsAsOneLineWithExitOne() {
        CliTest.Run r = runWith(new StackOverflowError());
        assertEquals(ExitCodes.FAILURE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("edgeq boom: stack overflow"), r.err());
    }
}
