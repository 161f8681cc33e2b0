package org.edgeq.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4-cell study run as a Slurm job array through docs/scale-out/submit-slurm.sh on a real Slurm, merged by the
 * dependent merge job: every cell lands in the merged results exactly once. Skipped where there is no Slurm (no
 * {@code sbatch}, or no controller answering): CI has none; docs/scale-out/local-slurm.sh starts a single-node one.
 *
 * <p>By default the jobs run the stand-in edgeq (a test resource: the study CLI's contract without the JVM); with
 * {@code -Dedgeq.scaleout.cli=../edgeq -Dedgeq.scaleout.spec="<a 4-cell spec>"} they run the real CLI.
 * {@code -Dedgeq.scaleout.timeoutSeconds} bounds the wait (default 300; 1800 with the real CLI).
 */
class SlurmJobArrayTest {
    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE");
    private static final Pattern STATE = Pattern.compile("\\bJobState=(\\S+)");
    private static final Pattern TASK = Pattern.compile("\\bArrayTaskId=(\\S+)");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsSlurm() throws Exception {
        assumeTrue(onPath("sbatch"), "no Slurm here: sbatch is not on PATH (docs/scale-out/local-slurm.sh sets up one)");
        ScaleOut.Result ping = ScaleOut.run(Path.of("."), Map.of(), 30, List.of("scontrol", "ping"));
        assumeTrue(ping.exitCode() == 0 && ping.out().contains("UP"),
                "no Slurm controller answers (scontrol ping: " + (ping.out() + ping.err()).strip() + ")");
        ScaleOut.Result nodes = ScaleOut.run(Path.of("."), Map.of(), 30, List.of("sinfo", "-h", "-o", "%t"));
        assumeTrue(nodes.out().lines().anyMatch(s -> s.matches("(idle|mix|alloc|comp).*")),
                "no Slurm node is up (sinfo: " + (nodes.out() + nodes.err()).strip() + ")");
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":")).anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    private static long timeoutSeconds() {
        return Long.getLong("edgeq.scaleout.timeoutSeconds", ScaleOut.realCli() != null ? 1800 : 300);
    }

    private static int expectedCells() {
        return Integer.getInteger("edgeq.scaleout.cells", 4);
    }

    /** Submits the study through the wrapper; returns its closing key=value lines. */
    private Map<String, String> submit(Path cli, Path out, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ScaleOut.script("submit-slurm.sh").toString(),
                "--out", out.toString(), "--cpus-per-task", System.getProperty("edgeq.scaleout.cpusPerTask", "1")));
        command.addAll(List.of(options));
        command.add("--");
        command.addAll(ScaleOut.spec());
        ScaleOut.Result r = ScaleOut.run(ScaleOut.repoRoot(), Map.of("EDGEQ", cli.toString()), 900, command);
        System.out.println("$ EDGEQ=" + cli + " " + String.join(" ", command) + "\n" + r.err() + r.out());
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, String> values = r.keyValues();
        assertTrue(values.containsKey("array_job") && values.containsKey("merge_job"), r.describe());
        return values;
    }

    /** The state of each task of the job (one entry for a plain job), from scontrol show job. */
    private static Map<String, String> states(String jobId) throws Exception {
        ScaleOut.Result r = ScaleOut.run(Path.of("."), Map.of(), 30, List.of("scontrol", "show", "job", "-o", jobId));
        assertEquals(0, r.exitCode(), "scontrol show job " + jobId + ": " + r.describe());
        Map<String, String> states = new TreeMap<>();
        for (String line : r.out().split("\n")) {
            Matcher state = STATE.matcher(line);
            if (state.find()) {
                Matcher task = TASK.matcher(line);
                states.put(task.find() ? task.group(1) : "-", state.group(1));
            }
        }
        return states;
    }

    /** Waits (bounded) until every task of every job has finished; cancels them and fails on time-out. */
    private Map<String, Map<String, String>> await(Path out, String... jobIds) throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds() * 1_000_000_000L;
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        while (true) {
            all.clear();
            for (String id : jobIds) {
                all.put(id, states(id));
            }
            if (all.values().stream().allMatch(m -> !m.isEmpty() && m.values().stream().allMatch(FINISHED::contains))) {
                System.out.println("job states: " + all);
                return all;
            }
            if (System.nanoTime() > deadline) {
                ScaleOut.run(Path.of("."), Map.of(), 30, ScaleOut.concat(List.of("scancel"), List.of(jobIds)));
                fail("jobs " + String.join(",", jobIds) + " not finished after " + timeoutSeconds() + " s: " + all
                        + "\n" + logs(out));
            }
            Thread.sleep(1000);
        }
    }

    private static String logs(Path out) throws IOException {
        if (!Files.isDirectory(out.resolve("logs"))) {
            return "(no logs)";
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(out.resolve("logs")).sorted()) {
            for (Path f : files.toList()) {
                text.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return text.toString();
    }

    private Path cli() throws IOException {
        Path real = ScaleOut.realCli();
        return real != null ? real : ScaleOut.standIn(tmp);
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    /** Rows per cell id in a results file (the contract's cell_id column). */
    private static Map<String, Long> rowsPerCell(Path file) throws IOException {
        List<CSVRecord> rows = csv(file);
        assertFalse(rows.isEmpty(), file + " has no rows");
        assertTrue(rows.get(0).isMapped("cell_id"), file + " has no cell_id column");
        for (CSVRecord row : rows) {
            assertFalse(row.get("cell_id").isBlank(), file + " line " + row.getRecordNumber() + " has no cell id");
        }
        return rows.stream().collect(Collectors.groupingBy(r -> r.get("cell_id"), TreeMap::new, Collectors.counting()));
    }

    /** The merged results hold every cell's rows exactly once: the same rows per cell id as its own file. */
    private static void assertEachCellMergedOnce(Path out, int cells) throws IOException {
        Path results = out.resolve("results.csv");
        assertTrue(Files.isRegularFile(results), "the merge wrote no " + results + "\n" + logs(out));
        Map<String, Long> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(out.resolve("cells"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                String id = f.getFileName().toString().replaceFirst("\\.csv$", "");
                Map<String, Long> own = rowsPerCell(f);
                assertEquals(Set.of(id), own.keySet(), f + " holds rows of other cells");
                expected.put(id, own.get(id));
            }
        }
        assertEquals(cells, expected.size(), "one file per cell in " + out.resolve("cells") + ": " + expected);
        assertEquals(expected, rowsPerCell(results), "rows per cell id in results.csv vs the cells' own files");
        System.out.println("--- " + results + "\n" + Files.readString(results));
    }

    @Test
    void fourCellStudyRunsAsAJobArrayAndTheMergeJobHoldsEachCellExactlyOnce() throws Exception {
        Path out = tmp.resolve("study");
        Map<String, String> ids = submit(cli(), out);
        int cells = expectedCells();
        assertEquals(String.valueOf(cells), ids.get("cells"), "the spec must plan " + cells + " cells");
        String array = ids.get("array_job");
        String merge = ids.get("merge_job");

        Map<String, Map<String, String>> states = await(out, array, merge);
        Map<String, String> tasks = states.get(array);
        Map<String, String> expectedTasks = new TreeMap<>();
        for (int i = 0; i < cells; i++) {
            expectedTasks.put(String.valueOf(i), "COMPLETED");
        }
        assertEquals(expectedTasks, tasks, "array job " + array + ": one completed task per cell\n" + logs(out));
        assertEquals(Map.of("-", "COMPLETED"), states.get(merge), "merge job " + merge + "\n" + logs(out));

        assertEachCellMergedOnce(out, cells);
        for (int i = 0; i < cells; i++) {
            Path log = out.resolve("logs/cell-" + array + "_" + i + ".out");
            assertTrue(Files.readString(log).contains("cell " + i + " exit 0"), log + ":\n" + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(out.resolve("logs/merge-" + merge + ".out")), logs(out));
        if (ScaleOut.realCli() == null) {
            // The stand-in logs each cell it ran: each once, in this array job, with the task's one CPU.
            List<String> runs = Files.readAllLines(out.resolve("standin-runs.log"));
            System.out.println("--- standin-runs.log\n" + String.join("\n", runs));
            assertEquals(cells, runs.size(), "cells run: " + runs);
            assertEquals(cells, runs.stream().map(r -> r.split(" ")[0]).distinct().count(), "cells run: " + runs);
            assertTrue(runs.stream().allMatch(r -> r.endsWith(" " + array + " 1")), "job and CPUs: " + runs);
        }
    }

    @Test
    void aFailedCellCancelsTheMergeAndResubmittingItsIndexCompletesTheStudy() throws Exception {
        assumeTrue(ScaleOut.realCli() == null, "needs the stand-in, which can fail a cell on purpose");
        Path out = tmp.resolve("study");
        Files.createDirectories(out);
        Files.createFile(out.resolve("fail-once-2"));
        Path cli = cli();

        Map<String, String> first = submit(cli, out);
        Map<String, Map<String, String>> states = await(out, first.get("array_job"), first.get("merge_job"));
        assertEquals("FAILED", states.get(first.get("array_job")).get("2"), states.toString());
        assertEquals(3, states.get(first.get("array_job")).values().stream().filter("COMPLETED"::equals).count(),
                states.toString());
        assertEquals(Map.of("-", "CANCELLED"), states.get(first.get("merge_job")), "merge after a failed cell");
        assertFalse(Files.exists(out.resolve("results.csv")));

        Map<String, String> again = submit(cli, out, "--indices", "2");
        states = await(out, again.get("array_job"), again.get("merge_job"));
        assertEquals(Map.of("2", "COMPLETED"), states.get(again.get("array_job")), states.toString());
        assertEquals(Map.of("-", "COMPLETED"), states.get(again.get("merge_job")), states.toString());
        assertEachCellMergedOnce(out, 4);
        List<String> runs = Files.readAllLines(out.resolve("standin-runs.log"));
        Map<String, Long> perIndex = runs.stream()
                .collect(Collectors.groupingBy(r -> r.split(" ")[1], TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("0", 1L, "1", 1L, "2", 1L, "3", 1L), perIndex, "each cell finished once: " + runs);
        Map<String, String> jobOfIndex2 = new HashMap<>();
        runs.forEach(r -> jobOfIndex2.put(r.split(" ")[1], r.split(" ")[2]));
        assertEquals(again.get("array_job"), jobOfIndex2.get("2"), "cell 2 finished in the resubmitted array");
    }
}
