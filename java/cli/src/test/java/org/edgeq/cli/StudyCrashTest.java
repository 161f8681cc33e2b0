package org.edgeq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study killed with SIGKILL in the middle keeps every cell it finished, and the same command completes it. */
class StudyCrashTest {
    @TempDir
    Path dir;

    /** 25 cells: fp32, then rounding and mid-rise at twelve widths each; one at a time, so the kill finds some done, some not. */
    static final String[] SPEC = {"--dataset", "synthetic-blobs", "--methods", "rounding,mid-rise", "--sets", "uniform",
            "--bits", "16,14,12,10,9,8,7,6,5,4,3,2", "--qat-bits", "none", "--prune-ratios", "none"};

    @Test
    void aStudyKilledMidRunLosesNoFinishedRowAndTheRerunRecordsEveryCellExactlyOnce() throws Exception {
        Path out = dir.resolve("study");
        Path csv = out.resolve("results.csv");
        List<String> planned = StudyCommandTest.plannedIds(SPEC);
        List<String> command = new ArrayList<>(ChildProcessRunner.javaCommand());
        command.addAll(List.of(StudyCommandTest.args(new String[]{"study", "--out", out.toString(), "--jobs", "1"}, SPEC, StudyCommandTest.FAST)));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rowsOnFile(csv) < 2 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, a write may be cut anywhere
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child is gone");
        } finally {
            child.destroyForcibly();
        }
        byte[] atKill = Files.exists(csv) ? Files.readAllBytes(csv) : new byte[0];
        String complete = completeLines(atKill);
        List<String> finishedBeforeKill = complete.lines().skip(1).map(StudyCrashTest::cellId).toList();
        assertTrue(!finishedBeforeKill.isEmpty() && finishedBeforeKill.size() < planned.size(),
                "killed mid-run: " + finishedBeforeKill.size() + " of " + planned.size() + " cells on file; child said:\n"
                        + Files.readString(log));

        CliTest.Run rerun = CliTest.run(StudyCommandTest.args(new String[]{"study", "--out", out.toString(), "--jobs", "1"}, SPEC, StudyCommandTest.FAST));

        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.out().startsWith(planned.size() + " cells, " + finishedBeforeKill.size() + " already done"), rerun.out());
        String after = Files.readString(csv, StandardCharsets.UTF_8);
        assertTrue(after.startsWith(complete), "the rows finished before the kill are unchanged, byte for byte");
        List<String> ids = StudyCommandTest.idsOnFile(csv);
        assertEquals(planned.size(), ids.size(), "no cell twice");
        assertEquals(new HashSet<>(planned), new HashSet<>(ids), "every cell");
    }

    /** The data rows whose line is complete so far (0 while there is no file). */
    private static long rowsOnFile(Path csv) {
        try {
            return Files.exists(csv) ? completeLines(Files.readAllBytes(csv)).lines().count() - 1 : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The text up to and including the last newline: what a kill cannot have cut. */
    private static String completeLines(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The cell_id cell of a results line (rows of these cells hold no quoted commas). */
    private static String cellId(String line) {
        int at = org.edgeq.study.ResultRow.COLUMNS.indexOf("cell_id");
        return line.split(",", -1)[at];
    }
}
