package org.edgeq.bench;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Task;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.metrics.LatencyOptions;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.nn.ModelConfig;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.Architectures;
import org.edgeq.study.BadUsageException;
import org.edgeq.study.BaseModelSpec;
import org.edgeq.study.BaseModels;
import org.edgeq.study.CellExecution;
import org.edgeq.study.PruneSchedule;
import org.edgeq.study.PruneScope;
import org.edgeq.study.PtqPlans;
import org.edgeq.progress.StudyListener;
import org.edgeq.study.StudyPlan;
import org.edgeq.study.StudyResults;
import org.edgeq.study.StudyRunner;
import org.edgeq.study.StudySpec;
import org.edgeq.study.Variant;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Does a 12-cell study on 2 cores take at most 0.65x the wall time of running its cells one after another (issue
 * 10)? Not JMH: each measurement is one whole study from an empty folder (the base model trained once and shared
 * by its cells in both runs), with {@code --jobs 1} (one cell at a time, 2 backend threads) and {@code --jobs 2}
 * (two cells at a time, 1 backend thread each), alternated over the repeats so that drifting load hits both.
 * Usage: {@code java -cp benchmarks.jar org.edgeq.bench.StudyParallelWall [DATASET [DATA_DIR [REPEATS]]]}.
 */
public final class StudyParallelWall {
    /** Fine-tuning epochs of the QAT and pruning cells: enough work per cell that a cell, not the start-up, is timed. */
    static final int FINE_TUNE_EPOCHS = 10;

    private StudyParallelWall() {
    }

    /** The seed's dense-complex ([20, 40, 60, 30], dropout 0.1) only: all the study needs. */
    static final class DenseComplex implements Architectures {
        @Override
        public ModelConfig config(String model, String preset, int[] inputShape, int outputs, Task task) {
            return new ModelConfig("dense", inputShape.clone(), outputs, List.of(20, 40, 60, 30), 0.1f, false);
        }

        @Override
        public int defaultEpochs(String preset, Task task) {
            return 10;
        }

        @Override
        public int defaultBatchSize(String model) {
            return 16;
        }
    }

    /** fp32, three PTQ cells, four QAT cells and four pruning cells fine-tuned for {@link #FINE_TUNE_EPOCHS} epochs: 12 cells on one base model. */
    static StudySpec spec(String dataset) {
        BaseModelSpec base = new BaseModelSpec(dataset, "dense-complex", "edgeq", 3, null, null, 0, 1);
        Variant.Training two = new Variant.Training(FINE_TUNE_EPOCHS, null, null);
        List<Variant> v = new ArrayList<>();
        v.add(new Variant.Baseline());
        for (var p : PtqPlans.expand(List.of("rounding", "multipoint"), null, List.of(8, 4))) {
            if (v.size() < 4) v.add(new Variant.Ptq(p, null, false, ObserverKind.MIN_MAX, 16));
        }
        v.add(new Variant.Qat(8, null, false, two));
        v.add(new Variant.Qat(4, null, false, two));
        v.add(new Variant.Qat(4, null, true, two));
        v.add(new Variant.Qat(4, 8, false, two));
        v.add(new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.LAYER, 0.5, false, two, List.of()));
        v.add(new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.LAYER, 0.8, false, two, List.of()));
        v.add(new Variant.Prune(PruneSchedule.GRADUAL, PruneScope.LAYER, 0.7, false, two, List.of()));
        v.add(new Variant.Prune(PruneSchedule.GRADUAL, PruneScope.LAYER, 0.9, false, two, List.of()));
        return new StudySpec(List.of(base), v);
    }

    /** Seconds of one whole study from an empty folder with {@code jobs} cells at a time on {@code cores} cores. */
    static double wall(StudyPlan plan, Path dataDir, int jobs, int cores) throws Exception {
        Path out = Files.createTempDirectory("edgeq-study-wall-");
        DenseComplex a = new DenseComplex();
        CellExecution cells = new CellExecution(new BaseModels(out.resolve("models"), dataDir, a), dataDir,
                new CellExecution.Settings(256, new MeterOptions(LatencyOptions.of(0, 3), 256, true, 0), EnergyOptions.defaults(),
                        (m, h, s, c) -> { throw new BadUsageException("no students"); }));
        StudyRunner runner = new StudyRunner(cells, CpuBackend::new, new StudyRunner.Parallelism(jobs, cores, false),
                new StudyListener() { }, new PrintWriter(PrintWriter.nullWriter()));
        long t0 = System.nanoTime();
        StudyRunner.Outcome o = runner.run(plan, new StudyResults(out), (d, rows) -> { });
        double s = (System.nanoTime() - t0) / 1e9;
        try (var files = Files.walk(out)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        if (o.failed() > 0 || o.finished() != plan.size()) throw new IllegalStateException("a cell failed: " + o);
        return s;
    }

    public static void main(String[] args) throws Exception {
        String dataset = args.length > 0 ? args[0] : "telescope";
        Path dataDir = args.length > 1 ? Path.of(args[1]) : null;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int cores = Runtime.getRuntime().availableProcessors();
        StudyPlan plan = StudyPlan.of(spec(dataset));
        System.out.printf(Locale.ROOT, "study: %d cells on %s/dense-complex (base 3 epochs; QAT and pruning cells fine-tune %d epochs), %d cores%n",
                plan.size(), dataset, FINE_TUNE_EPOCHS, cores);
        wall(plan, dataDir, 2, cores); // warm-up: JIT and data loading, not counted
        double[] one = new double[repeats];
        double[] two = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            boolean oneFirst = r % 2 == 0;
            if (oneFirst) one[r] = wall(plan, dataDir, 1, cores);
            two[r] = wall(plan, dataDir, 2, cores);
            if (!oneFirst) one[r] = wall(plan, dataDir, 1, cores);
            System.out.printf(Locale.ROOT, "repeat %d: jobs 1 %.2f s, jobs 2 %.2f s, ratio %.3f%n", r + 1, one[r], two[r], two[r] / one[r]);
        }
        Arrays.sort(one);
        Arrays.sort(two);
        System.out.printf(Locale.ROOT, "jobs 1 (cells one after another, 2 threads each): min %.2f s, median %.2f s%n", one[0], one[repeats / 2]);
        System.out.printf(Locale.ROOT, "jobs 2 (two cells at a time, 1 thread each):      min %.2f s, median %.2f s%n", two[0], two[repeats / 2]);
        System.out.printf(Locale.ROOT, "ratio jobs2/jobs1: medians %.3f, mins %.3f (target <= 0.65)%n", two[repeats / 2] / one[repeats / 2], two[0] / one[0]);
    }
}
