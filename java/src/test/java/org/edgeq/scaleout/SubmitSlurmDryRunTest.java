package org.edgeq.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm submit wrapper without Slurm: {@code --dry-run} plans with the stand-in edgeq and prints the two sbatch
 * commands, so the cell count, the array range and the merge dependency are checked wherever bash is (CI too).
 */
class SubmitSlurmDryRunTest {
    @TempDir
    Path tmp;

    private ScaleOut.Result dryRun(Map<String, String> env, String... options) throws Exception {
        Path cli = ScaleOut.standIn(tmp);
        List<String> command = ScaleOut.concat(
                ScaleOut.concat(List.of("bash", ScaleOut.script("submit-slurm.sh").toString(), "--dry-run",
                        "--out", tmp.resolve("study").toString()), List.of(options)),
                ScaleOut.concat(List.of("--"), List.of(ScaleOut.STANDIN_SPEC.split(" "))));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("EDGEQ", cli.toString());
        return ScaleOut.run(tmp, all, 60, command);
    }

    /** Stdout's lines with the shell quoting of --dry-run undone (it prints 8\\,4 for 8,4). */
    private static List<String> lines(ScaleOut.Result r) {
        return r.out().lines().map(line -> line.replace("\\", "")).toList();
    }

    @Test
    void countsFourCellsAndSubmitsArrayZeroToThreeThenMergeAfterIt() throws Exception {
        ScaleOut.Result r = dryRun(Map.of());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("4", r.keyValues().get("cells"), r.describe());
        String cells = lines(r).get(0);
        String merge = lines(r).get(1);
        assertTrue(cells.startsWith("sbatch --parsable --array=0-3 "), cells);
        assertTrue(cells.contains("--cpus-per-task=2"), cells);
        assertTrue(cells.contains("slurm-study.sbatch cell --out " + tmp.resolve("study")), cells);
        assertTrue(cells.endsWith("-- " + ScaleOut.STANDIN_SPEC), cells);
        assertTrue(cells.contains("--output=" + tmp.resolve("study/logs/cell-%A_%a.out")), cells);
        assertTrue(merge.contains("--dependency=afterok:<array_job>"), merge);
        assertTrue(merge.contains("--kill-on-invalid-dep=yes"), merge);
        assertTrue(merge.contains("slurm-study.sbatch merge --out " + tmp.resolve("study")), merge);
        assertTrue(merge.endsWith("-- " + ScaleOut.STANDIN_SPEC), merge);
        assertTrue(Files.isDirectory(tmp.resolve("study/logs")), "the logs directory is made before submitting");
    }

    @Test
    void readsAPlanPrintedAsABareJsonArrayToo() throws Exception {
        ScaleOut.Result r = dryRun(Map.of("STANDIN_PLAN_JSON", "array"));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("4", r.keyValues().get("cells"), r.describe());
    }

    @Test
    void resubmitsOnlyTheGivenIndicesAtMostTwoAtATime() throws Exception {
        ScaleOut.Result r = dryRun(Map.of(), "--indices", "1,3", "--max-parallel", "2", "--cpus-per-task", "1",
                "--partition", "gpu", "--sbatch-arg=--gres=gpu:1");
        assertEquals(0, r.exitCode(), r.describe());
        String cells = lines(r).get(0);
        assertTrue(cells.contains("--array=1,3%2 "), cells);
        assertTrue(cells.contains("--cpus-per-task=1 "), cells);
        assertTrue(cells.contains("--partition=gpu ") && cells.contains("--gres=gpu:1 "), cells);
        assertFalse(lines(r).get(1).contains("--gres"), "the merge job needs no GPU: " + lines(r).get(1));
    }

    @Test
    void noMergeSubmitsTheCellsOnly() throws Exception {
        ScaleOut.Result r = dryRun(Map.of(), "--no-merge");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(2, lines(r).size(), r.describe());
        assertTrue(lines(r).get(1).startsWith("cells="), r.describe());
    }

    @Test
    void aPlanThatFailsOnBadInputStopsWithItsExitCode() throws Exception {
        Path cli = ScaleOut.standIn(tmp);
        ScaleOut.Result r = ScaleOut.run(tmp, Map.of("EDGEQ", cli.toString()), 60, List.of("bash",
                ScaleOut.script("submit-slurm.sh").toString(), "--dry-run", "--out", tmp.resolve("s").toString(),
                "--", "--no-such-option"));
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.err().contains("edgeq study plan failed (exit 2)"), r.describe());
        assertFalse(r.out().contains("sbatch"), r.describe());
    }

    @Test
    void badWrapperOptionsAreRefusedBeforePlanning() throws Exception {
        ScaleOut.Result noOut = ScaleOut.run(tmp, Map.of(), 60,
                List.of("bash", ScaleOut.script("submit-slurm.sh").toString(), "--dry-run", "--", "--bits", "8"));
        assertEquals(2, noOut.exitCode(), noOut.describe());
        assertTrue(noOut.err().contains("--out DIR is required"), noOut.describe());
        ScaleOut.Result badIndices = ScaleOut.run(tmp, Map.of(), 60, List.of("bash",
                ScaleOut.script("submit-slurm.sh").toString(), "--out", tmp.toString(), "--indices", "1;3"));
        assertEquals(2, badIndices.exitCode(), badIndices.describe());
        assertTrue(badIndices.err().contains("Slurm array syntax"), badIndices.describe());
    }

    @Test
    void theBatchScriptRunsTheArrayTasksCellWithItsCpuShare() throws Exception {
        Path cli = ScaleOut.standIn(tmp);
        Path out = tmp.resolve("study");
        List<String> command = ScaleOut.concat(List.of("bash", ScaleOut.script("slurm-study.sbatch").toString(),
                "cell", "--out", out.toString(), "--"), List.of(ScaleOut.STANDIN_SPEC.split(" ")));
        Map<String, String> env = Map.of("EDGEQ", cli.toString(), "SLURM_ARRAY_TASK_ID", "2",
                "SLURM_CPUS_PER_TASK", "3");
        ScaleOut.Result first = ScaleOut.run(tmp, env, 60, command);
        assertEquals(0, first.exitCode(), first.describe());
        ScaleOut.Result again = ScaleOut.run(tmp, env, 60, command);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.out().contains("already finished: skipped"), again.describe());
        List<String> runs = Files.readAllLines(out.resolve("standin-runs.log"));
        assertEquals(1, runs.size(), "a finished cell runs once: " + runs);
        assertTrue(runs.get(0).matches("[0-9a-f]{12} 2 local 3"), "cell 2 with -XX:ActiveProcessorCount=3: " + runs);
    }
}
