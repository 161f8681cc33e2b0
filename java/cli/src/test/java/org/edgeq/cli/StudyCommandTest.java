package org.edgeq.cli;

import org.edgeq.study.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyCommandTest {
    @TempDir
    Path dir;

    /** A four-cell study on the generated blobs: fp32 and rounding at 8, 4 and 2 bits. */
    static final String[] SPEC = {"--dataset", "synthetic-blobs", "--methods", "rounding", "--sets", "uniform", "--bits", "8,4,2",
            "--qat-bits", "none", "--prune-ratios", "none"};
    static final String[] FAST = {"--latency-seconds", "0", "--latency-iterations", "3", "--quiet"};

    static String[] args(String[] first, String[]... more) {
        List<String> all = new ArrayList<>(List.of(first));
        for (String[] m : more) all.addAll(List.of(m));
        return all.toArray(String[]::new);
    }

    /** The cell ids `edgeq study plan --json` lists, in plan order. */
    static List<String> plannedIds(String... spec) {
        CliTest.Run r = CliTest.run(args(new String[]{"study", "plan", "--json"}, spec));
        assertEquals(0, r.code(), r.err());
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f]{12})\"").matcher(r.out());
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    static List<String> idsOnFile(Path csv) throws Exception {
        return ResultsCsv.read(csv).stream().map(r -> r.provenance().cellId()).toList();
    }

    @Test
    void planListsIndexIdAndLabelAndAsJsonForScripts() {
        CliTest.Run text = CliTest.run(args(new String[]{"study", "plan"}, SPEC));
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals(4, lines.size(), text.out());
        assertTrue(lines.get(3).matches(" +3  [0-9a-f]{12}  synthetic-blobs/dense-simple rounding-uniform-2bit"), lines.get(3));
        CliTest.Run json = CliTest.run(args(new String[]{"study", "plan", "--json"}, SPEC));
        assertTrue(json.out().strip().startsWith("[{\"index\":0,\"id\":\""), json.out());
        assertEquals(4, plannedIds(SPEC).size());
    }

    @Test
    void anUnwritableOutFailsWithExitTwoBeforeAnythingIsTrained() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path out = file.resolve("study");
        CliTest.Run r = CliTest.run(args(new String[]{"study", "--out", out.toString()}, SPEC, FAST));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out " + out + ": "), r.err());
        assertFalse(r.err().contains("base "), "nothing was trained: " + r.err());
        assertEquals("", r.out());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "nothing written anywhere");
        }
        CliTest.Run cell = CliTest.run(args(new String[]{"study", "run-cell", "--index", "0", "--out", out.toString()}, SPEC, FAST));
        assertEquals(2, cell.code(), cell.err());
        CliTest.Run jobs = CliTest.run(args(new String[]{"study", "--jobs", "0", "--out", dir.resolve("j").toString()}, SPEC, FAST));
        assertEquals(2, jobs.code(), jobs.err());
        assertTrue(jobs.err().contains("--jobs must be >= 1, got 0"), jobs.err());
        assertFalse(Files.exists(dir.resolve("j")), "refused before the folder was made");
    }

    @Test
    void aDatasetThatCannotBeLoadedFailsWithExitTwoBeforeAnyCellRuns() throws Exception {
        Path out = dir.resolve("s");
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        CliTest.Run r = CliTest.run(args(new String[]{"study", "--out", out.toString(), "--dataset", "telescope",
                "--data-dir", empty.toString()}, SPEC, FAST));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("dataset 'telescope' not found in " + empty), r.err());
        assertEquals("", r.out(), "not even the cell count: the check comes first");
        assertFalse(Files.exists(out.resolve("results.csv")), "no cell ran");
        assertFalse(Files.exists(out.resolve("models")), "nothing trained");
    }

    @Test
    void aResultsFileFromBeforeTheCellIdColumnIsRefusedWithExitTwoAndLeftAlone() throws Exception {
        Path out = Files.createDirectories(dir.resolve("s"));
        String header = java.util.Arrays.stream(org.edgeq.study.ResultColumn.values())
                .filter(c -> c != org.edgeq.study.ResultColumn.CELL_ID).map(org.edgeq.study.ResultColumn::columnName)
                .collect(java.util.stream.Collectors.joining(",")) + "\n";
        Files.writeString(out.resolve("results.csv"), header);
        CliTest.Run r = CliTest.run(args(new String[]{"study", "--out", out.toString()}, SPEC, FAST));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("results.csv:1: a results file from before the cell_id column"), r.err());
        assertEquals(header, Files.readString(out.resolve("results.csv")));
        assertFalse(Files.exists(out.resolve("models")), "nothing trained");
    }

    @Test
    void aStudyPrintsItsCellCountTheSummaryTableAndWhereTheResultsAre() throws Exception {
        Path out = dir.resolve("s");
        CliTest.Run r = CliTest.run(args(new String[]{"study", "--out", out.toString(), "--jobs", "2"}, SPEC, FAST));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("4 cells, 0 already done (2 at a time"), r.out());
        assertTrue(lines.get(1).matches("cell +metric +value +bits +size_B +est_uJ/inf"), r.out());
        assertTrue(lines.get(2).startsWith("synthetic-blobs/dense-simple fp32 ") && lines.get(2).contains(" test_acc "), r.out());
        assertTrue(r.out().contains("results: " + out.resolve("results.csv")), r.out());
        assertEquals(plannedIds(SPEC), idsOnFile(out.resolve("results.csv")).stream().sorted(java.util.Comparator.comparingInt(plannedIds(SPEC)::indexOf)).toList());

        CliTest.Run again = CliTest.run(args(new String[]{"study", "--out", out.toString()}, SPEC, FAST));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("4 cells, 4 already done"), again.out());
        assertEquals(4, idsOnFile(out.resolve("results.csv")).size());
    }

    @Test
    void runCellForEveryIndexThenMergeGivesThePlainRunsCellsInPlanOrder() throws Exception {
        Path tasks = dir.resolve("tasks");
        List<String> planned = plannedIds(SPEC);
        for (int i = planned.size() - 1; i >= 0; i--) { // any order, as a job array's tasks finish
            CliTest.Run r = CliTest.run(args(new String[]{"study", "run-cell", "--index", Integer.toString(i), "--out", tasks.toString()}, SPEC, FAST));
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.exists(tasks.resolve("cells").resolve(planned.get(i) + ".csv")));
        }
        CliTest.Run skipped = CliTest.run(args(new String[]{"study", "run-cell", "--index", "1", "--out", tasks.toString()}, SPEC, FAST));
        assertTrue(skipped.out().startsWith("cell already done: 1 " + planned.get(1)), skipped.out());

        CliTest.Run merged = CliTest.run(args(new String[]{"study", "merge", "--out", tasks.toString()}, SPEC));
        assertEquals(0, merged.code(), merged.err());
        assertTrue(merged.out().startsWith("merged 4 cells (0 were there already)"), merged.out());
        assertEquals(planned, idsOnFile(tasks.resolve("results.csv")), "each cell once, in plan order");
        assertTrue(Files.exists(tasks.resolve("results.json")));

        CliTest.Run twice = CliTest.run(args(new String[]{"study", "merge", "--out", tasks.toString()}, SPEC));
        assertEquals(0, twice.code(), twice.err());
        assertEquals(planned, idsOnFile(tasks.resolve("results.csv")), "merging again adds nothing");

        Path plain = dir.resolve("plain");
        assertEquals(0, CliTest.run(args(new String[]{"study", "--out", plain.toString()}, SPEC, FAST)).code());
        assertEquals(new java.util.HashSet<>(idsOnFile(plain.resolve("results.csv"))), new java.util.HashSet<>(idsOnFile(tasks.resolve("results.csv"))));
    }

    @Test
    void mergeWithCellsMissingSaysWhichAndExitsOne() throws Exception {
        Path tasks = dir.resolve("tasks");
        assertEquals(0, CliTest.run(args(new String[]{"study", "run-cell", "--index", "0", "--out", tasks.toString()}, SPEC, FAST)).code());
        CliTest.Run merged = CliTest.run(args(new String[]{"study", "merge", "--out", tasks.toString()}, SPEC));
        assertEquals(1, merged.code(), merged.err());
        assertTrue(merged.err().contains("no rows yet for cell 3 "), merged.err());
        assertEquals(List.of(plannedIds(SPEC).getFirst()), idsOnFile(tasks.resolve("results.csv")));
    }
}
