package org.edgeq.cli;

import org.edgeq.checkpoint.OutputLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's durability defects, each reproduced as the issue states it: a model directory is absent or complete,
 * --overwrite keeps the old model until the new one is complete, a killed run's temporaries are cleaned, one run per
 * --out and per CSV, and nothing is written through a symbolic link EdgeQ did not make.
 */
class DurableOutputTest {
    static final String[] FAST_ROWS = {"--latency-seconds", "0", "--latency-iterations", "1"};

    @TempDir
    Path dir;

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path trained(String name) {
        Path out = dir.resolve(name);
        CliTest.Run r = CliTest.run("train", "--epochs", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static byte[][] model(Path m) throws IOException {
        return new byte[][]{Files.readAllBytes(m.resolve("model.safetensors")), Files.readAllBytes(m.resolve("model.json")),
                Files.readAllBytes(m.resolve("split.json"))};
    }

    /** The last stderr line, after checking the run was refused with exit 2, nothing on stdout. */
    private static String refusal(CliTest.Run r) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        return r.errLines().getLast();
    }

    // ---- defect 4: --overwrite destroys the good model first ----

    @Test
    void anOverwriteThatDivergesInEpochOneKeepsTheOldModelByteForByte() throws Exception {
        Path m = trained("M");
        byte[][] before = model(m);
        CliTest.Run r = CliTest.run("train", "--epochs", "3", "--lr", "1e30", "--out", m.toString(), "--overwrite");
        assertEquals(ExitCodes.FAILURE, r.code(), r.err());
        assertTrue(r.err().contains("is kept as it was"), r.err());
        byte[][] after = model(m);
        for (int i = 0; i < 3; i++) assertArrayEquals(before[i], after[i]);
        assertEquals(List.of("M"), names(dir), "no temporary left beside it");
        assertEquals(0, CliTest.run("eval", "--model", m.toString()).code());
    }

    @Test
    void aCompletedOverwriteReplacesTheModelWhole() throws Exception {
        Path m = trained("M");
        byte[] before = Files.readAllBytes(m.resolve("model.safetensors"));
        CliTest.Run r = CliTest.run("train", "--epochs", "1", "--seed", "9", "--out", m.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(m.resolve("model.safetensors"))));
        assertEquals(List.of("model.json", "model.safetensors", "split.json"), names(m));
        assertEquals(List.of("M"), names(dir));
    }

    // ---- defect 5: half-written directories ----

    @Test
    void aRunThatFailsInEpochOneLeavesNoDirectoryAtAll() throws Exception {
        Path n = dir.resolve("N");
        CliTest.Run r = CliTest.run("train", "--epochs", "3", "--lr", "1e30", "--out", n.toString());
        assertEquals(ExitCodes.FAILURE, r.code(), r.err());
        assertTrue(r.err().contains("nothing was written to"), r.err());
        assertEquals(List.of(), names(dir), "no model.json + split.json without weights, no temporary");
        assertEquals(0, CliTest.run("train", "--epochs", "1", "--out", n.toString()).code(), "a rerun is not told the folder holds a model");
    }

    @Test
    void aRunRefusedForBadInputLeavesNeitherFolderNorLockFile() throws Exception {
        Path m = dir.resolve("new").resolve("M");
        CliTest.Run r = CliTest.run("train", "--dataset", dir.resolve("missing.csv").toString(), "--out", m.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(List.of(), names(dir));
    }

    // ---- defect 6: no lock ----

    @Test
    void aSecondTrainOnAHeldOutIsRefusedAtOnceNamingTheHoldersPid() throws Exception {
        Path n = dir.resolve("N");
        try (OutputLock held = OutputLock.acquire(n)) {
            String line = refusal(CliTest.run("train", "--epochs", "1", "--out", n.toString()));
            assertEquals("edgeq train: --out " + n + " is in use by another edgeq run (pid " + ProcessHandle.current().pid()
                    + "); wait for it to finish or choose another directory", line);
            assertFalse(Files.exists(n));
        }
    }

    @Test
    void aSecondQuantizeOnAHeldCsvOrOutIsRefusedNamingTheHoldersPid() throws Exception {
        Path m = trained("M");
        Path csv = dir.resolve("shared.csv");
        try (OutputLock held = OutputLock.acquire(csv)) {
            String line = refusal(CliTest.run(cat(new String[]{"quantize", "--model", m.toString(), "--bits", "8", "--csv", csv.toString()}, FAST_ROWS)));
            assertTrue(line.startsWith("edgeq quantize: --csv " + csv + " is in use by another edgeq run (pid " + ProcessHandle.current().pid() + ")"), line);
            assertFalse(Files.exists(csv));
        }
        Path q = dir.resolve("Q");
        try (OutputLock held = OutputLock.acquire(q)) {
            String line = refusal(CliTest.run(cat(new String[]{"quantize", "--model", m.toString(), "--bits", "8", "--out", q.toString()}, FAST_ROWS)));
            assertTrue(line.startsWith("edgeq quantize: --out " + q + " is in use by another edgeq run (pid "), line);
            assertFalse(Files.exists(q));
        }
    }

    // ---- defect 12: temporaries left behind ----

    @Test
    void temporariesAKilledRunLeftAreRemovedByTheNextRunOnceTheirPidIsGone() throws Exception {
        long dead = deadPid();
        Path m = trained("M");
        Path staging = Files.createDirectory(dir.resolve(".edgeq-tmp-" + dead + "-M"));
        Files.write(staging.resolve(".edgeq-tmp-" + dead + "-model.safetensors.5eed"), new byte[17 << 10]);
        Files.write(m.resolve(".edgeq-tmp-" + dead + "-model.safetensors.5eed"), new byte[17 << 10]);
        CliTest.Run r = CliTest.run("train", "--epochs", "1", "--out", m.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("M"), names(dir));
        assertEquals(List.of("model.json", "model.safetensors", "split.json"), names(m));
    }

    // ---- defect 14: symbolic links ----

    @Test
    void aDanglingResultsCsvSymlinkInOutIsRefusedAndItsTargetNeverCreated() throws Exception {
        Path m = trained("M");
        Path q = Files.createDirectory(dir.resolve("Q"));
        Path target = dir.resolve("elsewhere.csv");
        Files.createSymbolicLink(q.resolve("results.csv"), target);
        String line = refusal(CliTest.run(cat(new String[]{"quantize", "--model", m.toString(), "--bits", "8", "--out", q.toString()}, FAST_ROWS)));
        assertTrue(line.contains("is a symbolic link"), line);
        assertFalse(Files.exists(target));
        assertEquals(List.of("results.csv"), names(q), "no export written either");
    }

    @Test
    void anOutThatIsASymbolicLinkIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        String line = refusal(CliTest.run("train", "--epochs", "1", "--out", link.toString()));
        assertTrue(line.contains("is a symbolic link"), line);
        assertEquals(List.of(), names(real));
    }

    // ---- exports: each row folder absent or whole ----

    @Test
    void quantizeOverwriteReplacesEachRowFolderWholeAndLeavesNoTemporary() throws Exception {
        Path m = trained("M");
        Path q = dir.resolve("Q");
        String[] args = cat(new String[]{"quantize", "--model", m.toString(), "--bits", "8,4", "--out", q.toString()}, FAST_ROWS);
        assertEquals(0, CliTest.run(args).code());
        CliTest.Run again = CliTest.run(cat(args, new String[]{"--overwrite"}));
        assertEquals(0, again.code(), again.err());
        for (String row : List.of("rounding-uniform-8bit", "rounding-uniform-4bit")) {
            assertEquals(List.of("model.eqz", "model.json", "split.json"), names(q.resolve(row)));
            assertEquals(0, CliTest.run("eval", "--model", q.resolve(row).toString()).code());
        }
        assertTrue(names(q).stream().noneMatch(n -> n.startsWith(".edgeq-")), names(q).toString());
    }

    /** The pid of a process that has ended: what a killed run's temporaries carry. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static String[] cat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
