package org.edgeq.api;

import org.edgeq.progress.StudyListener;
import org.edgeq.study.BadUsageException;
import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;
import org.edgeq.study.StudyCell;
import org.edgeq.study.StudyKey;
import org.edgeq.study.StudyPlan;
import org.edgeq.study.StudySettings;
import org.edgeq.study.StudySpecBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library's study: {@link Study#run()} runs what {@code edgeq study} runs, into the same files, and resumes the same way. */
class StudyTest {
    /** A two-cell study (fp32 and mid-rise at 4 bits) on 300 generated samples, trained one epoch: every other family off. */
    private static final Map<String, String> TINY = Map.of("dataset", "synthetic-blobs", "limit", "300", "epochs", "1",
            "methods", "mid-rise", "sets", "uniform", "bits", "4", "qat-bits", "none", "prune-ratios", "none");

    @TempDir
    static Path shared;

    /** The tiny study run once into {@link #shared}/study, shared by the tests that read what it wrote. */
    private static StudyOutcome first;

    @TempDir
    Path tmp;

    static Study tiny() {
        Study s = Study.defaults();
        for (Map.Entry<String, String> e : TINY.entrySet()) s = s.set(e.getKey(), e.getValue());
        return s.backend("cpu").jobs(2).latency(0, 3);
    }

    /** The plan the command line makes of the same settings given as flags. */
    static List<String> labelsOfFlags(Map<String, String> flags) {
        Map<StudyKey, List<String>> byKey = new EnumMap<>(StudyKey.class);
        flags.forEach((k, v) -> byKey.put(StudyKey.byKey(k), List.of(v)));
        return StudyPlan.of(StudySpecBuilder.build(StudySettings.ofFlags(byKey))).cells().stream().map(StudyCell::label).toList();
    }

    /** Counts the cells a run starts. */
    static final class StartedCells implements StudyListener {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void cellStarted(String cellId, String label, long totalSteps) {
            started.add(label);
        }
    }

    @BeforeAll
    static void runTheTinyStudyOnce() throws IOException {
        first = tiny().out(shared.resolve("study")).run();
    }

    @Test
    void runRecordsEveryCellOnceAndReturnsTheRowsOnFile() throws Exception {
        assertEquals(tiny().cells().size(), first.cells());
        assertEquals(first.cells(), first.finished(), "every cell ran");
        assertEquals(0, first.alreadyDone());
        assertEquals(0, first.failed());
        assertEquals(shared.resolve("study").resolve("results.csv"), first.resultsCsv());
        assertEquals(ResultsCsv.read(first.resultsCsv()), first.rows());
        assertEquals(first.cells(), first.rows().stream().map(r -> r.provenance().cellId()).distinct().count());
    }

    @Test
    void runWritesTheJsonAndTheReportBesideTheCsv() throws Exception {
        assertEquals(first.resultsCsv().resolveSibling("results.json"), first.resultsJson());
        assertEquals(first.resultsCsv().resolveSibling("report.html"), first.report());
        String json = Files.readString(first.resultsJson());
        for (ResultRow r : first.rows()) assertTrue(json.contains("\"cell_id\" : \"" + r.provenance().cellId() + "\""), json);
        assertTrue(Files.size(first.report()) > 0, "an empty report");
    }

    @Test
    void rerunningIntoTheSameFolderResumesAndRunsNothing() throws Exception {
        StartedCells heard = new StartedCells();
        StudyOutcome again = tiny().out(shared.resolve("study")).progress(heard).run();
        assertEquals(first.cells(), again.alreadyDone());
        assertEquals(0, again.finished());
        assertEquals(0, again.failed());
        assertEquals(List.of(), heard.started);
        assertEquals(first.rows(), again.rows());
    }

    @Test
    void cellsListsThePlanOfTheSameFlagsWithoutCreatingTheFolder() {
        Path out = tmp.resolve("not-yet");
        List<String> labels = tiny().out(out).cells();
        assertEquals(labelsOfFlags(TINY), labels);
        assertEquals(2, labels.size(), labels.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void aStudyFileGivesTheSameCellsAsItsKeysSetOneByOneAndSetOverridesIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("study.yaml"), """
                dataset: synthetic-blobs
                methods: [mid-rise, rounding]
                bits: [8, 4]
                qat-bits: none
                prune-ratios: none
                """);
        Study byKeys = Study.defaults().set("dataset", "synthetic-blobs").set("methods", "mid-rise", "rounding")
                .set("bits", "8,4").set("qat-bits", "none").set("prune-ratios", "none");
        assertEquals(byKeys.cells(), Study.fromFile(file).cells());
        assertEquals(byKeys.set("bits", "2").cells(), Study.fromFile(file).set("bits", "2").cells());
    }

    @Test
    void anUnknownKeyFailsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Study.defaults().set("bitz", "4"));
        assertTrue(e.getMessage().contains("'bitz'"), e.getMessage());
        assertTrue(e.getMessage().contains("bits"), "the allowed keys are listed: " + e.getMessage());
    }

    @Test
    void aBadValueFailsWithTheMessageOfItsFlagBeforeAnythingIsWritten() {
        String flag = assertThrows(BadUsageException.class,
                () -> StudySpecBuilder.build(StudySettings.ofFlags(Map.of(StudyKey.BITS, List.of("99"))))).getMessage();
        assertTrue(flag.contains("99"), flag);
        Path out = tmp.resolve("refused");
        Study bad = Study.defaults().set("bits", "99").out(out);
        assertEquals(flag, assertThrows(IllegalArgumentException.class, bad::cells).getMessage());
        assertEquals(flag, assertThrows(IllegalArgumentException.class, bad::run).getMessage());
        assertFalse(Files.exists(out), "nothing written for a study that cannot be planned");
    }

    @Test
    void anOutFolderThatIsAFileFailsBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "not a folder");
        IOException e = assertThrows(IOException.class, () -> tiny().out(file).run());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void anUnknownBackendFailsNamingIt() {
        Path out = tmp.resolve("no-backend");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny().backend("tpu").out(out).run());
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aBadValueInAStudyFileIsReportedAtItsLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), "dataset: synthetic-blobs\nbits: [8, 99]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Study.fromFile(file).cells());
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }
}
