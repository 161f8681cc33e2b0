package org.edgeq.study;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Task;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.metrics.LatencyOptions;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.nn.ModelConfig;
import org.edgeq.progress.StudyListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyRunnerTest {
    @TempDir
    Path dir;

    /** dense-simple only: the study package does not know the command line's choices. */
    static final class DenseOnly implements Architectures {
        @Override
        public ModelConfig config(String model, String preset, int[] inputShape, int outputs, Task task) {
            if (!model.equals("dense-simple")) throw new BadUsageException("unknown model " + model);
            return new ModelConfig("dense", inputShape.clone(), outputs, List.of(10), 0f, false);
        }

        @Override
        public int defaultEpochs(String preset, Task task) {
            return 2;
        }

        @Override
        public int defaultBatchSize(String model) {
            return 16;
        }
    }

    /** Hears which cells start, finish and fail. */
    static final class Recorder implements StudyListener {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());
        final List<String> failed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void cellStarted(String cellId, String label, long totalSteps) {
            started.add(cellId);
        }

        @Override
        public void cellFailed(String cellId, String label, String reason) {
            failed.add(cellId + ": " + reason);
        }
    }

    static StudyPlan sixCells() {
        return StudyPlan.of(new StudySpec(List.of(StudyPlanTest.base("synthetic-blobs", 1)), StudyPlanTest.ptq(List.of(8, 6, 4, 3, 2))));
    }

    static StudyRunner.Outcome run(Path out, StudyPlan plan, int jobs, StudyListener listener) throws Exception {
        BaseModels models = new BaseModels(out.resolve("models"), null, new DenseOnly());
        MeterOptions meter = new MeterOptions(LatencyOptions.of(0, 3), 64, false, 0);
        CellExecution cells = new CellExecution(models, null, new CellExecution.Settings(64, meter, EnergyOptions.defaults(),
                (m, hidden, shape, classes) -> { throw new BadUsageException("no students here"); }));
        StudyRunner runner = new StudyRunner(cells, CpuBackend::new, new StudyRunner.Parallelism(jobs, 2, false), listener,
                new PrintWriter(PrintWriter.nullWriter()));
        return runner.run(plan, new StudyResults(out), (d, rows) -> { });
    }

    static List<String> cellIdsOnFile(Path csv) throws Exception {
        return ResultsCsv.read(csv).stream().map(r -> r.provenance().cellId()).toList();
    }

    @Test
    void aStudyRecordsEveryCellOnceWithItsIdAndWritesTheJson() throws Exception {
        StudyPlan plan = sixCells();
        StudyRunner.Outcome o = run(dir, plan, 2, new Recorder());
        assertEquals(6, o.finished());
        assertEquals(0, o.failed());
        List<String> ids = cellIdsOnFile(dir.resolve(StudyResults.CSV));
        assertEquals(plan.cells().stream().map(StudyCell::id).collect(Collectors.toSet()), new HashSet<>(ids));
        assertEquals(6, ids.size());
        String json = Files.readString(dir.resolve(StudyResults.JSON));
        for (StudyCell c : plan.cells()) assertTrue(json.contains("\"cell_id\" : \"" + c.id() + "\""), json);
        try (var models = Files.list(dir.resolve("models"))) {
            assertEquals(1, models.filter(Files::isDirectory).count(), "one base model, trained once for all six cells");
        }
    }

    @Test
    void deletingHalfTheRowsAndRerunningRerunsExactlyThoseCells() throws Exception {
        StudyPlan plan = sixCells();
        run(dir, plan, 2, new Recorder());
        Path csv = dir.resolve(StudyResults.CSV);
        Path weights = dir.resolve("models").resolve(BaseModelKey.of(plan.cell(0).base())).resolve("model.safetensors");
        long trainedAt = Files.getLastModifiedTime(weights).toMillis();
        List<String> lines = Files.readAllLines(csv);
        Set<String> removed = Set.of(plan.cell(1).id(), plan.cell(3).id(), plan.cell(5).id());
        List<String> kept = lines.stream().filter(l -> removed.stream().noneMatch(l::contains)).toList();
        Files.write(csv, kept);

        Recorder second = new Recorder();
        StudyRunner.Outcome o = run(dir, plan, 2, second);

        assertEquals(removed, new HashSet<>(second.started));
        assertEquals(3, second.started.size());
        assertEquals(3, o.alreadyDone());
        List<String> ids = cellIdsOnFile(csv);
        assertEquals(6, ids.size());
        assertEquals(6, new HashSet<>(ids).size(), "each cell once");
        assertEquals(trainedAt, Files.getLastModifiedTime(weights).toMillis(), "the base model was reused, not trained again");
    }

    @Test
    void aFailingCellIsReportedAndTheOthersStillRun() throws Exception {
        BaseModelSpec b = StudyPlanTest.base("synthetic-blobs", 1);
        Variant student = new Variant.Distill("dense", List.of(4), 4f, 0.5f, null, new Variant.Training(1, null, null));
        StudyPlan plan = StudyPlan.of(new StudySpec(List.of(b), List.of(new Variant.Baseline(), student)));
        Recorder r = new Recorder();

        StudyRunner.Outcome o = run(dir, plan, 1, r);

        assertEquals(1, o.finished());
        assertEquals(1, o.failed());
        assertEquals(1, r.failed.size());
        assertTrue(r.failed.getFirst().startsWith(plan.cell(1).id() + ": no students here"), r.failed.toString());
        assertEquals(List.of(plan.cell(0).id()), cellIdsOnFile(dir.resolve(StudyResults.CSV)));
    }

    @Test
    void eachRunningCellGetsItsShareOfTheCoresAndAGpuRunsOneCellAtATime() {
        assertEquals(1, new StudyRunner.Parallelism(2, 2, false).threadsPerCell());
        assertEquals(4, new StudyRunner.Parallelism(2, 8, false).threadsPerCell());
        assertEquals(1, new StudyRunner.Parallelism(4, 2, false).threadsPerCell());
        assertEquals(1, new StudyRunner.Parallelism(4, 8, true).running());
        assertEquals(8, new StudyRunner.Parallelism(4, 8, true).threadsPerCell());
    }
}
