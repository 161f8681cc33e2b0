package org.edgeq.cli;

import org.edgeq.checkpoint.OutputLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two edgeq processes on one --out or one --csv: the second is refused at once, one line naming the first's pid. */
class ConcurrentRunsTest {
    @TempDir
    Path dir;

    private Process start(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(ChildProcessRunner.javaCommand());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code holder} has claimed {@code target} (its pid in the lock file). */
    private static void awaitLock(Process holder, Path target, Path log) throws Exception {
        Path lock = OutputLock.lockFile(target);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && holder.isAlive()) {
            if (Files.exists(lock) && Files.readString(lock, StandardCharsets.US_ASCII).equals(holder.pid() + "\n")) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the first run never held " + target + ": " + Files.readString(log));
    }

    /** Runs the second process to its end; returns its output after checking exit 2 within 20 s. */
    private String refusedSecond(Path log, String... args) throws Exception {
        long t0 = System.nanoTime();
        Process second = start(log, args);
        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second run is refused at once, it does not wait");
        assertEquals(ExitCodes.USAGE, second.exitValue(), Files.readString(log));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
        return lines.getLast();
    }

    @Test
    void aSecondTrainOnTheSameOutIsRefusedNamingTheFirstsPidAndTheFolderStaysAbsentOrWhole() throws Exception {
        Path out = dir.resolve("M");
        Process first = start(dir.resolve("first.log"), "train", "--epochs", "100000", "--out", out.toString());
        try {
            awaitLock(first, out, dir.resolve("first.log"));
            String line = refusedSecond(dir.resolve("second.log"), "train", "--epochs", "1", "--out", out.toString());
            assertEquals("edgeq train: --out " + out + " is in use by another edgeq run (pid " + first.pid()
                    + "); wait for it to finish or choose another directory", line);
            assertTrue(first.isAlive(), "the first run goes on");
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(out), "the first run was killed before it finished: no folder, not a mix of two runs");
    }

    @Test
    void aSecondQuantizeOnTheSameCsvOrOutIsRefusedNamingTheFirstsPid() throws Exception {
        Path model = dir.resolve("base");
        assertEquals(0, CliTest.run("train", "--epochs", "1", "--out", model.toString()).code());
        Path csv = dir.resolve("shared.csv");
        Path q = dir.resolve("Q");
        // The first run's baseline row times latency for 60 s: it holds --out and --csv all that time.
        Process first = start(dir.resolve("first.log"), "quantize", "--model", model.toString(), "--bits", "8",
                "--latency-seconds", "60", "--out", q.toString(), "--csv", csv.toString());
        try {
            awaitLock(first, csv, dir.resolve("first.log"));
            String line = refusedSecond(dir.resolve("second.log"), "quantize", "--model", model.toString(), "--bits", "4",
                    "--latency-seconds", "0", "--latency-iterations", "1", "--csv", csv.toString());
            assertEquals("edgeq quantize: --csv " + csv + " is in use by another edgeq run (pid " + first.pid()
                    + "); wait for it to finish or choose another file", line);
            String outLine = refusedSecond(dir.resolve("third.log"), "quantize", "--model", model.toString(), "--bits", "4",
                    "--latency-seconds", "0", "--latency-iterations", "1", "--out", q.toString(), "--csv", dir.resolve("other.csv").toString());
            assertEquals("edgeq quantize: --out " + q + " is in use by another edgeq run (pid " + first.pid()
                    + "); wait for it to finish or choose another directory", outLine);
            assertFalse(Files.exists(dir.resolve("other.csv")));
            assertTrue(first.isAlive(), "the first run goes on");
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
