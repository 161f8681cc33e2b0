package org.edgeq.study;

import org.edgeq.backend.Backend;
import org.edgeq.data.Task;
import org.edgeq.distill.Distiller;
import org.edgeq.energy.CarbonIntensity;
import org.edgeq.energy.EnergyFigures;
import org.edgeq.energy.EnergyReading;
import org.edgeq.energy.EpochEnergy;
import org.edgeq.backend.cpu.WorkerPool;
import org.edgeq.hwsim.EnergyModel;
import org.edgeq.hwsim.EnergyTable;
import org.edgeq.hwsim.FakeQuantVariant;
import org.edgeq.hwsim.IntGemms;
import org.edgeq.hwsim.IntegerModel;
import org.edgeq.hwsim.NetworkGraph;
import org.edgeq.hwsim.Simulation;
import org.edgeq.metrics.Metrics;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.prune.GradualPruning;
import org.edgeq.prune.MaskHook;
import org.edgeq.prune.PolynomialSchedule;
import org.edgeq.prune.PruneThenQuantize;
import org.edgeq.prune.Pruner;
import org.edgeq.prune.PruningMasks;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.quant.fake.ActivationCalibration;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.FakeQuantize;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.quant.fake.QuantSpec;
import org.edgeq.quant.fake.SeedQatHook;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Trainer;
import org.edgeq.train.EpochListener;
import org.edgeq.progress.EpochProgress;
import org.edgeq.progress.StderrTerminal;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.edgeq.train.TrainingResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Makes the rows of compression variants of one model under study, one method per kind of compression: each builds
 * a fresh copy of the trained weights, compresses (and where the variant trains, fine-tunes) it, measures it and
 * records its rows through the {@link CompressionRun}. The quantize, prune, qat and distill commands and every
 * study cell make their rows here. Training epochs print a progress line each on {@code err}; every epoch and every
 * row is one step reported to the progress hook.
 */
public final class CellRunner {
    private final CompressionRun run;
    private final ModelUnderStudy study;
    private final Backend backend;
    private final long seed;
    private final CarbonIntensity grid;
    private final PrintWriter err;
    private LongConsumer progress = steps -> { };
    private long stepsDone;
    private EnergyFigures fineTuningEnergy;
    private boolean epochBars;
    private int threads = Runtime.getRuntime().availableProcessors();

    /**
     * @param run     the started run the rows are recorded in
     * @param backend where the models are built and trained
     * @param seed    the seed of the variants' own randomness (stochastic rounding, multi-point, fine-tuning order)
     * @param grid    the carbon intensity fine-tuning energy is reported with
     * @param err     where training progress lines go
     */
    public CellRunner(CompressionRun run, Backend backend, long seed, CarbonIntensity grid, PrintWriter err) {
        this.run = run;
        this.study = run.study();
        this.backend = backend;
        this.seed = seed;
        this.grid = grid;
        this.err = err;
    }

    /**
     * Draws each training epoch's batches as a bar with ETA when stderr is a terminal (the single commands); study
     * cells run side by side and report through {@link #onProgress} instead.
     */
    public CellRunner withEpochBars() {
        this.epochBars = true;
        return this;
    }

    /** {@code lines} with a batch bar per epoch when bars are on and stderr is a terminal. */
    private EpochProgress epochDisplay(EpochListener lines, String prefix, int epochs) {
        return EpochProgress.withBars(lines, prefix, epochs, err, epochBars && StderrTerminal.isTerminal());
    }

    /**
     * The CPU threads this runner's integer simulation may use: a study cell's share of the cores, as its backend
     * got (all processors unless set).
     */
    public CellRunner withThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        return this;
    }

    /** Hears the steps done so far (training epochs and rows) after each one. */
    public CellRunner onProgress(LongConsumer stepsDoneSoFar) {
        this.progress = stepsDoneSoFar;
        return this;
    }

    private void step() {
        progress.accept(++stepsDone);
    }

    /**
     * The rows of {@code v}. A distilled student's architecture comes from {@code students}; the other variants
     * ignore it.
     */
    public List<ResultRow> run(Variant v, StudentArchitectures students) throws IOException {
        return switch (v) {
            case Variant.Baseline b -> List.of(baseline());
            case Variant.Ptq p -> List.of(quantize(p));
            case Variant.Hwsim h -> List.of(hwsim(h));
            case Variant.Qat q -> List.of(qat(q));
            case Variant.SeedQat q -> List.of(seedQat(q));
            case Variant.Prune p -> prune(p);
            case Variant.Distill d -> {
                Task task = study.all.task();
                if (task != Task.CLASSIFICATION) {
                    throw new BadUsageException("distillation needs a classification model, this one is " + task);
                }
                yield List.of(distill(d, students.config(d.student(), d.hidden(), study.all.featureShape(), study.all.numClasses())).row());
            }
        };
    }

    /** How a study names a student architecture and builds its configuration for the teacher's data. */
    @FunctionalInterface
    public interface StudentArchitectures {
        ModelConfig config(String model, List<Integer> hidden, int[] inputShape, int classes);
    }

    /** The unmodified model, measured and recorded as the baseline row (method fp32). */
    public ResultRow baseline() throws IOException {
        try (Model fp32 = study.build(backend, seed)) {
            ResultRow row = run.baseline(fp32);
            step();
            return row;
        }
    }

    /** Post-training quantization: the weights quantized by the variant's plan, activations calibrated where asked. */
    public ResultRow quantize(Variant.Ptq v) throws IOException {
        PtqPlan p = v.plan();
        Integer actBits = v.actBits();
        QuantSpec activations = activationSpec(actBits, v.observer());
        Granularity granularity = v.perChannel() ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR;
        try (Model net = study.build(backend, seed); PruningMasks held = study.heldMasks(net)) {
            WeightQuantizer quantizer = PtqPlans.quantizer(p, granularity, v.observer(), seed);
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(net, quantizer, p.bits());
            held.apply(); // a pruned source's removed weights stay zero whatever the quantizer's levels
            ModelUnderStudy.Measurement m;
            String ranges = null;
            if (activations == null) {
                m = run.measure(net);
            } else {
                int[] rows = IntStream.range(0, study.train.size()).toArray();
                try (QatHook hook = ActivationCalibration.calibrate(net, study.train, rows, v.calibrationBatches(), run.evalBatchSize(), null, activations)) {
                    m = run.measure(net);
                    ranges = ActivationRanges.toJson(net, hook);
                }
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", p.method().cliName());
            meta.put("bin_method", p.binMethod());
            meta.put("precision", actBits == null ? Integer.toString(p.bits()) : "w" + p.bits() + "a" + actBits);
            if (ranges != null) meta.put("activations", ranges);
            meta.put("granularity", v.perChannel() ? "per-channel" : "per-tensor");
            ModelUnderStudy.recordPruned(meta, held);
            boolean observed = p.method() == QuantMethod.AFFINE || activations != null;
            ResultRow row = run.add(net, q, meta, p.dirName(actBits), m, ResultRow.Recipe.method(p.method().cliName())
                    .withSet(p.set() == null ? null : p.set().cliName())
                    .withGranularity(CompressionRun.granularity(quantizer))
                    .withObserver(observed ? v.observer().cliName() : null)
                    .withWeightBits(p.bits()).withActivationBits(actBits));
            step();
            return row;
        }
    }

    /**
     * The integer simulator's row: the base model quantized as 'edgeq hwsim' does ({@link FakeQuantVariant#calibrate}),
     * measured as every row in its fake-quant form (latency, throughput, memory: float arithmetic on the backend),
     * then run through its {@link IntegerModel} with integer arithmetic only on the test split. The row's quality is
     * the integer run's (accuracy, or MSE and R² for regression; no training-split figures), its estimated energy the
     * hardware model's at the variant's weight, activation and accumulator widths; the fake-quant quality and the
     * saturation count go into the export metadata (the schema has no column for them).
     */
    public ResultRow hwsim(Variant.Hwsim v) throws IOException {
        int w = v.weightBits(), a = v.actBits(), acc = v.accBits();
        int batch = run.evalBatchSize();
        try (Model net = study.build(backend, seed)) {
            ModelUnderStudy.Measurement m;
            Simulation.IntegerRun integer;
            QatWeights q;
            String ranges;
            double estimated;
            try (FakeQuantVariant fq = FakeQuantVariant.calibrate(net, study.train, v.calibrationBatches(), batch, w, a, false)) {
                m = run.measure(net);
                IntegerModel im = fq.compile(IntegerModel.Rounding.DOUBLE);
                try (WorkerPool pool = new WorkerPool(threads)) {
                    IntGemms.Choice gemm = IntGemms.best(pool);
                    integer = Simulation.runInteger(im, study.test, gemm.gemm(), acc, batch, threads);
                }
                estimated = EnergyModel.estimate(NetworkGraph.of(net), new EnergyModel.Precision(w, a, acc), EnergyTable.horowitz45nm()).microjoules();
                q = quantizedWeights(net, fq.hook(), w);
                ranges = ActivationRanges.toJson(net, fq.hook());
            }
            q.loadInto(net); // the export (and its size) holds the integer weights the simulator ran
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", ResultRow.HWSIM_INT);
            meta.put("precision", "w" + w + "a" + a);
            meta.put("activations", ranges);
            meta.put("granularity", "per-channel");
            // Only what the row's columns cannot hold: the export's size (size_bytes) counts its metadata too.
            meta.put("hwsim_accumulator_bits", Integer.toString(acc));
            boolean classification = study.test.task() == Task.CLASSIFICATION;
            meta.put(classification ? "hwsim_fake_quant_test_acc" : "hwsim_fake_quant_test_mse",
                    Double.toString(classification ? m.test().accuracy() : m.units().mse(m.test().mse())));
            meta.put("hwsim_saturations", Long.toString(integer.totalSaturations()));
            Simulation.Outputs out = integer.outputs();
            ResultRow.Quality quality = classification
                    ? new ResultRow.Quality(Double.NaN, Double.NaN, Double.NaN, out.quality(), Double.NaN, Double.NaN)
                    : new ResultRow.Quality(Double.NaN, Double.NaN, Double.NaN, Double.NaN, m.units().mse(out.quality()),
                    Metrics.r2(out.values(), study.test.targets()));
            ResultRow row = run.add(net, q.codes(), meta, v.label(), m, ResultRow.Recipe.method(ResultRow.HWSIM_INT)
                    .withSet(LandmarkSetKind.INT_SYMMETRIC.cliName())
                    .withGranularity(CompressionRun.granularity(Granularity.PER_CHANNEL))
                    .withObserver(ObserverKind.MIN_MAX.cliName())
                    .withWeightBits(w).withActivationBits(a), quality, estimated);
            step();
            return row;
        }
    }

    /**
     * The static activation quantization of {@code actBits} bits (per tensor, asymmetric) with the observer's running
     * range; null without activation bits. Activations take the minmax and moving-average observers only.
     */
    public static QuantSpec activationSpec(Integer actBits, ObserverKind observer) {
        if (actBits == null) return null;
        if (observer != ObserverKind.MIN_MAX && observer != ObserverKind.MOVING_AVERAGE) {
            throw new BadUsageException("--observer " + observer + " does not apply to --act-bits (activations take minmax or moving-average)");
        }
        return QuantSpec.perTensor(actBits, false, observer);
    }

    /**
     * Magnitude pruning to the variant's ratio by its schedule and scope (fine-tuned when it has epochs), recorded as
     * one row, or quantized by each of its plans from the same pruned weights, one row each.
     */
    public List<ResultRow> prune(Variant.Prune v) throws IOException {
        int fineTune = v.training().epochs();
        TrainingConfig config = fineTune == 0 ? null : study.trainingConfig(fineTune, v.training().lr(), v.training().batchSize(), seed);
        double r = v.ratio();
        List<ResultRow> rows = new ArrayList<>();
        try (Model net = study.build(backend, seed); PruningMasks masks = prune(net, v, config)) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("pruning", v.schedule() + " " + v.scope() + " " + r + (fineTune > 0 ? ", " + fineTune + " fine-tuning epochs" : ""));
            ModelUnderStudy.recordPruned(meta, masks);
            ResultRow.Recipe pruning = ResultRow.Recipe.method("prune-" + v.schedule()).withPruning(v.scope().toString(), r).withWeightBits(32);
            if (v.thenQuantize().isEmpty()) {
                rows.add(run.add(net, Map.of(), meta, v.dirName(null), run.measure(net), pruning));
                step();
                return rows;
            }
            // Every quantizer starts from the same pruned (and fine-tuned) weights.
            Map<String, float[]> pruned = snapshot(net);
            for (PtqPlan p : v.thenQuantize()) {
                restore(net, pruned);
                Map<String, QuantizedTensor> q = PruneThenQuantize.quantize(masks, PtqPlans.quantizer(p, Granularity.PER_TENSOR,
                        ObserverKind.MIN_MAX, seed), p.bits()).quantized();
                Map<String, String> rowMeta = new LinkedHashMap<>(meta);
                rowMeta.put("quant_method", p.method().cliName());
                ResultRow.Recipe recipe = ResultRow.Recipe.method("prune-" + v.schedule() + "+" + p.method().cliName())
                        .withPruning(v.scope().toString(), r).withWeightBits(p.bits())
                        .withSet(p.set() == null ? null : p.set().cliName())
                        .withGranularity(CompressionRun.granularity(Granularity.PER_TENSOR))
                        .withObserver(p.method() == QuantMethod.AFFINE ? ObserverKind.MIN_MAX.cliName() : null);
                rows.add(run.add(net, q, rowMeta, v.dirName(p), run.measure(net), recipe));
                step();
            }
        }
        return rows;
    }

    /** Host copies of every state tensor of {@code net}. */
    private static Map<String, float[]> snapshot(Model net) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        net.stateDict().forEach((n, t) -> {
            float[] v = new float[Math.toIntExact(t.numel())];
            net.backend().download(t, v);
            copy.put(n, v);
        });
        return copy;
    }

    private static void restore(Model net, Map<String, float[]> snapshot) {
        snapshot.forEach((n, v) -> net.backend().upload(v, net.stateDict().get(n)));
    }

    /**
     * Prunes {@code net} to the variant's ratio by its schedule, fine-tuning when configured, on top of the masks a
     * pruned source export holds; the masks hold afterwards.
     */
    private PruningMasks prune(Model net, Variant.Prune v, TrainingConfig config) {
        Pruner pruner = v.scope().pruner(v.includeOutput());
        PruningMasks masks = study.heldMasks(net);
        double ratio = v.ratio();
        try {
            Trainer trainer;
            if (v.schedule() == PruneSchedule.ONESHOT) {
                masks.update(pruner.select(net, ratio));
                if (config == null) return masks;
                trainer = new Trainer(config).withHook(new MaskHook(masks));
            } else {
                int stepsPerEpoch = Math.ceilDiv(study.train.size(), config.batchSize());
                long total = (long) stepsPerEpoch * config.epochs();
                int frequency = Math.max(1, stepsPerEpoch / 4);
                int steps = (int) Math.max(1, (total * 3 / 4) / frequency);
                trainer = new Trainer(config).withHook(new GradualPruning(masks, pruner, new PolynomialSchedule(0, ratio, 1, steps, frequency)));
            }
            try (EpochProgress display = epochDisplay((stats, improved) -> {
                err.println("ratio " + ratio + ": " + EpochLines.line(stats, config.epochs(), false));
                step();
            }, "ratio " + ratio + ": ", config.epochs())) {
                trainer.train(net, study.train, study.validation, display);
            }
            masks.apply();
            return masks;
        } catch (RuntimeException e) {
            masks.close();
            throw e;
        }
    }

    /**
     * EdgeQ's quantization-aware training: fine-tuned with fake-quantized weights (symmetric per output channel) and
     * optionally activations, then the observers frozen, batch norms folded, measured and exported as integers.
     */
    public ResultRow qat(Variant.Qat v) throws IOException {
        int b = v.bits();
        Integer actBits = v.actBits();
        int epochs = v.training().epochs();
        TrainingConfig config = study.trainingConfig(epochs, v.training().lr(), v.training().batchSize(), seed);
        try (Model net = study.build(backend, seed); PruningMasks held = study.heldMasks(net)) {
            QatConfig qc = QatConfig.of(b, actBits == null ? 0 : actBits);
            if (v.lsq()) qc = qc.withLearnedSteps();
            ModelUnderStudy.Measurement m;
            QatWeights q;
            String ranges;
            try (QatHook hook = QatHook.prepare(net, qc)) {
                // The masks hold a pruned source's zeros; the symmetric weight grid maps zero to zero.
                EpochEnergy used = new EpochEnergy(run.energyMeter().start(), study.train.size());
                TrainingResult trained;
                try (EpochProgress display = epochDisplay((stats, improved) -> {
                    err.println("w" + b + ": " + EpochLines.line(stats, epochs, false) + used.next());
                    step();
                }, "w" + b + ": ", epochs)) {
                    trained = new Trainer(config).withHook(hook).withHook(new MaskHook(held)).train(net, study.train, study.validation, display);
                } finally {
                    used.stop();
                }
                recordFineTuning("w" + b, used.stop(), trained);
                held.apply();
                hook.freezeAndFoldBatchNorm(); // observers freeze and batch norms fold before export
                m = run.measure(net);
                q = quantizedWeights(net, hook, b);
                ranges = ActivationRanges.toJson(net, hook);
            }
            q.loadInto(net);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", "qat" + (v.lsq() ? "-lsq" : ""));
            meta.put("precision", actBits == null ? Integer.toString(b) : "w" + b + "a" + actBits);
            if (ranges != null) meta.put("activations", ranges);
            ModelUnderStudy.recordPruned(meta, held);
            // Weights: symmetric per-channel grids from min-max observers, or with LSQ learned step sizes.
            ResultRow row = run.add(net, q.codes(), meta, v.dirName(), m, ResultRow.Recipe.method(v.lsq() ? "qat-lsq" : "qat-affine")
                    .withSet(LandmarkSetKind.INT_SYMMETRIC.cliName())
                    .withGranularity(CompressionRun.granularity(Granularity.PER_CHANNEL))
                    .withObserver(v.lsq() ? null : ObserverKind.MIN_MAX.cliName())
                    .withWeightBits(b).withActivationBits(actBits));
            step();
            return row;
        }
    }

    /** The seed's QAT for one method, set and width: FP shadow weights, each weight quantized alone every step, slopes. */
    public ResultRow seedQat(Variant.SeedQat v) throws IOException {
        PtqPlan p = v.plan();
        int epochs = v.training().epochs();
        TrainingConfig config = study.trainingConfig(epochs, v.training().lr(), v.training().batchSize(), seed);
        try (Model net = study.build(backend, seed); PruningMasks held = study.heldMasks(net)) {
            Map<String, QuantizedTensor> q;
            try (SeedQatHook hook = new SeedQatHook(net, PtqPlans.quantizer(p, Granularity.PER_TENSOR, ObserverKind.MIN_MAX, seed), p.bits())) {
                // Added after the QAT hook, the masks also zero the removed weights of each in-place quantization.
                EpochEnergy used = new EpochEnergy(run.energyMeter().start(), study.train.size());
                TrainingResult trained;
                try (EpochProgress display = epochDisplay((stats, improved) -> {
                    err.println(p.dirName() + ": " + EpochLines.line(stats, epochs, false) + used.next());
                    step();
                }, p.dirName() + ": ", epochs)) {
                    trained = new Trainer(config).withHook(hook).withHook(new MaskHook(held)).train(net, study.train, study.validation, display);
                } finally {
                    used.stop();
                }
                recordFineTuning(p.dirName(), used.stop(), trained);
                q = hook.exportQuantized();
                held.apply(); // the method's levels need not include zero
            }
            ModelUnderStudy.Measurement m = run.measure(net);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", "qat-" + p.method().cliName());
            meta.put("bin_method", p.binMethod());
            meta.put("precision", Integer.toString(p.bits()));
            ModelUnderStudy.recordPruned(meta, held);
            ResultRow row = run.add(net, q, meta, v.dirName(), m, ResultRow.Recipe.method("qat-" + p.method().cliName())
                    .withSet(p.set() == null ? null : p.set().cliName())
                    .withGranularity(CompressionRun.granularity(Granularity.PER_TENSOR)).withWeightBits(p.bits()));
            step();
            return row;
        }
    }

    /** Prints one row's fine-tuning energy and adds it to the total of this runner's rows (per training sample: epochs x split). */
    private void recordFineTuning(String row, EnergyReading reading, TrainingResult trained) {
        EnergyFigures f = new EnergyFigures(reading, (long) study.train.size() * trained.epochsRun(), grid);
        err.println(row + ": fine-tuning " + f.summary());
        fineTuningEnergy = fineTuningEnergy == null ? f : fineTuningEnergy.plus(f);
    }

    /** The fine-tuning energy of every QAT row made so far; null before the first. */
    public EnergyFigures fineTuningEnergy() {
        return fineTuningEnergy;
    }

    /** A distilled student's row and the sizes of teacher and student. */
    public record Distilled(ResultRow row, long teacherParameters, long studentParameters) {
    }

    /**
     * Knowledge distillation: a fresh student of {@code studentConfig} trained on the study model (the teacher) and
     * the labels, measured on the teacher's test rows and exported (with integer weights when it trains quantized).
     */
    public Distilled distill(Variant.Distill v, ModelConfig studentConfig) throws IOException {
        int epochs = v.training().epochs();
        Integer qatBits = v.qatBits();
        TrainingConfig config = study.trainingConfig(epochs, v.training().lr(), v.training().batchSize(), seed);
        try (Model teacher = study.build(backend, seed); Model net = ModelFactory.create(studentConfig, backend, seed)) {
            long teacherParams = teacher.parameterCount();
            long studentParams = net.parameterCount();
            err.printf(Locale.ROOT, "teacher %,d parameters, student %s %,d parameters (%.3f of the teacher)%n",
                    teacherParams, v.student(), studentParams, (double) studentParams / teacherParams);
            Distiller distiller = new Distiller(config, v.alpha(), v.temperature());
            ModelUnderStudy.Measurement m;
            Map<String, QuantizedTensor> codes = Map.of();
            EpochListener lines = (stats, improved) -> {
                err.println(EpochLines.line(stats, epochs, false));
                step();
            };
            if (qatBits == null) {
                try (EpochProgress line = epochDisplay(lines, "", epochs)) {
                    distiller.train(teacher, net, study.prepared, study.split.train(), study.split.validation(), line);
                }
                m = run.measure(net);
            } else {
                QatWeights q;
                try (QatHook hook = QatHook.prepare(net, QatConfig.of(qatBits, 0)); EpochProgress line = epochDisplay(lines, "", epochs)) {
                    distiller.train(teacher, net, study.prepared, study.split.train(), study.split.validation(), line, (TrainingHook) hook);
                    hook.freeze();
                    m = run.measure(net);
                    q = quantizedWeights(net, hook, qatBits);
                }
                q.loadInto(net); // the hook is detached: the student now takes the integer weights' values for export
                codes = q.codes();
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", qatBits == null ? "distill" : "distill+qat");
            meta.put("teacher", study.dir.toString());
            ResultRow.Recipe recipe = ResultRow.Recipe.method("distill").withWeightBits(32);
            if (qatBits != null) {
                recipe = ResultRow.Recipe.method("distill+qat").withSet(LandmarkSetKind.INT_SYMMETRIC.cliName())
                        .withGranularity(CompressionRun.granularity(Granularity.PER_CHANNEL))
                        .withObserver(ObserverKind.MIN_MAX.cliName()).withWeightBits(qatBits);
            }
            ResultRow row = run.add(net, codes, meta, v.dirName(), m, recipe, v.student(), studentConfig);
            step();
            return new Distilled(row, teacherParams, studentParams);
        }
    }

    /**
     * Every weight layer's weights as the frozen fake quantizer computes them, with the integer codes recovered
     * from its scales and zero points (the exporter checks that the codes reproduce the values bit for bit).
     */
    static QatWeights quantizedWeights(Model net, QatHook hook, int bits) {
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        Map<String, float[]> exact = new LinkedHashMap<>();
        List<WeightLayerRef> layers = net.weightLayers();
        try (TensorScope scope = new TensorScope()) {
            for (int i = 0; i < layers.size(); i++) {
                WeightLayerRef l = layers.get(i);
                FakeQuantize fq = hook.layers().get(i).weightQuantizer();
                Tensor w = l.weight().value();
                Tensor y = net.backend().allocate(scope, DType.F32, w.shape().dims());
                fq.apply(w, y);
                float[] values = new float[Math.toIntExact(w.numel())];
                net.backend().download(y, values);
                float[] scales = fq.scales();
                int[] zeros = fq.zeroPoints();
                int groups = scales.length;
                int inner = values.length / groups;
                int[] codes = new int[values.length];
                for (int k = 0; k < values.length; k++) {
                    int g = k / inner;
                    codes[k] = Math.round(values[k] / scales[g]) + zeros[g];
                }
                QuantizedTensor.Affine a = new QuantizedTensor.Affine(w.shape().dims(), bits, fq.spec().symmetric(),
                        groups == 1 ? -1 : 0, scales, zeros, codes);
                out.put(l.weight().name(), a);
                exact.put(l.weight().name(), values);
            }
        }
        return new QatWeights(out, exact);
    }

    /**
     * The frozen quantizers' weights: the values they compute (what was measured, and what is exported) and the
     * integer codes behind them. Where the codes do not reproduce the values bit for bit, the exporter ignores them
     * and stores a codebook instead, so the file always holds what was measured.
     */
    record QatWeights(Map<String, QuantizedTensor> codes, Map<String, float[]> values) {

        /** Puts the computed values into {@code net}'s weights once the hook is detached, so that the export holds them. */
        void loadInto(Model net) {
            for (WeightLayerRef l : net.weightLayers()) net.backend().upload(values.get(l.weight().name()), l.weight().value());
        }
    }
}
