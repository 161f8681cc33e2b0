package org.edgeq.cli;

import org.edgeq.progress.EpochProgress;
import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyFigures;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.energy.EnergyReading;
import org.edgeq.energy.EpochEnergy;
import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayer;
import org.edgeq.prune.MaskHook;
import org.edgeq.prune.PruningMasks;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.fake.FakeQuantize;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.quant.fake.SeedQatHook;
import org.edgeq.quant.Granularity;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.study.ResultRow;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingResult;
import org.edgeq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq qat}: quantization-aware fine-tuning of a trained model, one row per weight bit width. */
@Command(name = "qat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Fine-tune a model saved by 'edgeq train --out DIR' with fake-quantized weights (symmetric, per output "
                        + "channel, min-max) and optionally activations (--act-bits: every weight layer's input, per tensor, "
                        + "asymmetric, moving-average range), straight-through gradients, then freeze the observers, "
                        + "measure the quantized model on its own split and export its integer weights. The first row is the "
                        + "FP32 model it starts from (method fp32).",
                "",
                "--method mid-rise, rounding or stochastic runs the seed's QAT instead (its qat.py and training loop, "
                        + "golden-tested step by step against torch re-runs of its code). Every step: each parameter named "
                        + "*.weight (batch-norm gamma included) is quantized with a set built from that weight alone "
                        + "(--set uniform, histogram or prior-normal, not pooled with the bias) or its own mid-rise step "
                        + "(per element when the first dimension is 1); biases stay full precision; forward and backward run "
                        + "on the quantized weights; each weight's gradient is multiplied by its slope (max(wq) - min(wq)) / "
                        + "(max(w) - min(w)) (1 where max(w) = min(w)); the full-precision weights are put back and the "
                        + "optimizer steps on them. The export quantizes the trained weights by the same rule, biases FP32.",
                "",
                "Training is Adam, as the seed's loop, at the model's own learning rate and batch size (--lr, "
                        + "--train-batch-size). EdgeQ's, not the seed's: each epoch's validation measures the quantized model "
                        + "where the seed's loop evaluated the full-precision one; regression models train the same way on their "
                        + "MSE (the seed's loop is cross-entropy only); stochastic rounding draws from a Philox stream seeded "
                        + "by --seed, fresh every step; where the seed's mid-rise divides 0 by 0 (a constant "
                        + "weight, a zero in a [1, n] weight) the value is kept. The seed's QAT "
                        + "has no IQR set and no multi-point: --set iqr, normal, int-sym, int-asym (mid-rise: iqr) and "
                        + "--method multipoint or multipoint-grid (on the weights multi-point quantizes after training: "
                        + "every weight but the first parameter's) are EdgeQ's extensions under the same rule.",
                "",
                "Started from a pruned export ('edgeq prune --out DIR', then --model DIR/<row>), the removed weights stay "
                        + "exactly zero through fine-tuning and in the export, for every --method. Batch norms folded into "
                        + "the layer before them for export (affine) take their masks with them: a pruned scale zeroes its "
                        + "channel's weights.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq qat --model runs/tel --bits 8,4 --epochs 3",
                "  edgeq qat --model runs/fm --bits 4 --act-bits 8 --lsq --epochs 2 --out runs/fm-w4a8",
                "  edgeq qat --model runs/tel --method rounding --set uniform,histogram,prior-normal --bits 4,2   the seed's QAT",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/qat-w<bits>[a<act>][-lsq]/ (affine) or DIR/qat-<method>[-<set>]-<bits>bit/."})
final class QatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StudiedModelOption model;

    @Option(names = "--bits", paramLabel = "N", split = ",", defaultValue = "8", description = "Weight bit widths, comma-separated, "
            + "each 2..16 (the seed's methods: 1..16, multipoint 2..16) (default: ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--act-bits", paramLabel = "N", description = "Also fake-quantize activations to N bits, 2..16 (default: weights only).")
    Integer actBits;

    @Option(names = "--lsq", description = "Learn the step sizes (LSQ, Esser et al. 2020) instead of taking them from the observers.")
    boolean lsq;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "affine",
            description = "Quantizer trained through: affine (default: fake-quant integer grids, STE, optional LSQ and "
                    + "activations), or the seed's QAT with mid-rise, rounding or stochastic (weights only, a set per weight, "
                    + "gradients times the slope; see above), or EdgeQ's multipoint / multipoint-grid under the same rule.")
    String method;

    @Option(names = "--set", paramLabel = "NAME", split = ",", description = "Landmark sets, comma-separated, one row each: "
            + "uniform, histogram, prior-normal (the seed's QAT), iqr, normal, int-sym, int-asym (EdgeQ's) for rounding and "
            + "stochastic (default: uniform); uniform (its full range, the default) or iqr (EdgeQ's) for mid-rise.")
    List<String> sets;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    StudyTrainingOptions fineTuning;

    @Mixin
    StudyOutputOptions output;

    @Mixin
    EnergyCliOptions energy;

    /** The meter of the fine-tuning (chosen once the backend is open), its grid, and the figures of every row so far. */
    private EnergyMeter energyMeter;
    private EnergyOptions energyOptions;
    private EnergyFigures fineTuningEnergy;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        boolean seedMethod = !method.equals("affine");
        List<QuantizeCommand.Plan> seedPlans = null;
        if (seedMethod) {
            if (method.equals("all") || method.contains(",")) throw new UsageException("--method takes one method, got " + method);
            seedPlans = QuantizeCommand.plans(List.of(method), sets, bits);
            if (actBits != null) throw new UsageException("--act-bits applies to --method affine only (the seed's QAT quantizes weights)");
            if (lsq) throw new UsageException("--lsq applies to --method affine only");
        } else {
            if (sets != null) throw new UsageException("--set " + String.join(",", sets) + " applies only to the seed's methods (mid-rise, rounding, stochastic)");
            if (bits.isEmpty()) throw new UsageException("--bits needs at least one width");
            for (int b : bits) if (b < 2 || b > 16) throw new UsageException("--bits " + b + " is outside 2..16 (QAT's integer grids need at least 2 bits)");
        }
        if (actBits != null && (actBits < 2 || actBits > 16)) throw new UsageException("--act-bits " + actBits + " is outside 2..16");
        if (epochs < 1 || epochs > 100_000) throw new UsageException("--epochs must be 1..100000, got " + epochs);
        fineTuning.validate();
        output.validate();
        energyOptions = energy.options();
        List<String> dirs = new ArrayList<>();
        if (seedMethod) for (QuantizeCommand.Plan p : seedPlans) dirs.add("qat-" + p.dirName());
        else for (int b : bits) dirs.add(dirName(b));
        output.checkOut(dirs);
        ModelUnderStudy study = model.open(common);
        CompressionRun run = CompressionRun.open(study, output, common, stdout, err);
        TrainingConfig config = study.trainingConfig(epochs, fineTuning.lr, fineTuning.trainBatchSize, common.seed);
        try (Backend backend = BackendSelection.open(common, err)) {
            energyMeter = EnergyMeters.forBackend(backend.name(), energyOptions);
            err.println("energy: " + energyMeter.describe());
            run.start(energyMeter);
            try (Model fp32 = study.build(backend, common.seed)) {
                run.baseline(fp32);
            }
            if (seedMethod) {
                for (QuantizeCommand.Plan p : seedPlans) seedRow(p, study, config, backend, run, err);
            }
            for (int b : seedMethod ? List.<Integer>of() : bits) {
                try (Model net = study.build(backend, common.seed); PruningMasks held = study.heldMasks(net)) {
                    QatConfig qc = QatConfig.of(b, actBits == null ? 0 : actBits);
                    if (lsq) qc = qc.withLearnedSteps();
                    ModelUnderStudy.Measurement m;
                    QatWeights q;
                    String ranges;
                    try (QatHook hook = QatHook.prepare(net, qc)) {
                        // The masks hold a pruned source's zeros; the symmetric weight grid maps zero to zero.
                        EpochEnergy used = new EpochEnergy(energyMeter.start(), study.train.size());
                        TrainingResult trained;
                        try (EpochProgress progress = EpochProgress.onStderr(
                                (stats, improved) -> err.println("w" + b + ": " + TrainCommand.progressLine(stats, epochs, false) + used.next()),
                                "w" + b + ": ", epochs, err)) {
                            trained = new Trainer(config).withHook(hook).withHook(new MaskHook(held)).train(net, study.train, study.validation, progress);
                        } finally {
                            used.stop();
                        }
                        recordFineTuning("w" + b, used.stop(), trained, study, err);
                        held.apply();
                        hook.freezeAndFoldBatchNorm(); // observers freeze and batch norms fold before export
                        m = run.measure(net);
                        q = quantizedWeights(net, hook, b);
                        ranges = ActivationRanges.toJson(net, hook);
                    }
                    q.loadInto(net);
                    Map<String, String> meta = new LinkedHashMap<>();
                    meta.put("quant_method", "qat" + (lsq ? "-lsq" : ""));
                    meta.put("precision", precision(b));
                    if (ranges != null) meta.put("activations", ranges);
                    ModelUnderStudy.recordPruned(meta, held);
                    // Weights: symmetric per-channel grids from min-max observers, or with --lsq learned step sizes.
                    run.add(net, q.codes(), meta, dirName(b), m, ResultRow.Recipe.method(lsq ? "qat-lsq" : "qat-affine")
                            .withSet(LandmarkSetKind.INT_SYMMETRIC.cliName())
                            .withGranularity(CompressionRun.granularity(Granularity.PER_CHANNEL))
                            .withObserver(lsq ? null : org.edgeq.quant.observe.ObserverKind.MIN_MAX.cliName())
                            .withWeightBits(b).withActivationBits(actBits));
                }
            }
        }
        JsonLine head = run.head("qat").put("epochs", epochs).put("lsq", lsq);
        if (fineTuningEnergy != null) {
            // The fine-tuning of every row together: its seconds, energy, and energy per training sample processed.
            err.println("qat: fine-tuning of " + dirs.size() + " row(s): " + fineTuningEnergy.summary());
            head.put("seconds", fineTuningEnergy.reading().seconds());
            fineTuningEnergy.jsonFields().forEach(head::put);
        }
        run.finish(head);
        return ExitCodes.OK;
    }

    /** Prints one row's fine-tuning energy and adds it to the command's total (per training sample: epochs x split). */
    private void recordFineTuning(String row, EnergyReading reading, TrainingResult trained, ModelUnderStudy study, PrintWriter err) {
        EnergyFigures f = new EnergyFigures(reading, (long) study.train.size() * trained.epochsRun(), energyOptions.grid());
        err.println(row + ": fine-tuning " + f.summary());
        fineTuningEnergy = fineTuningEnergy == null ? f : fineTuningEnergy.plus(f);
    }

    /** The seed's QAT for one method, set and width: FP shadow weights, each weight quantized alone every step, slopes. */
    private void seedRow(QuantizeCommand.Plan p, ModelUnderStudy study, TrainingConfig config, Backend backend,
                         CompressionRun run, PrintWriter err) throws IOException {
        try (Model net = study.build(backend, common.seed); PruningMasks held = study.heldMasks(net)) {
            Map<String, QuantizedTensor> q;
            try (SeedQatHook hook = new SeedQatHook(net, QuantizeCommand.quantizer(p, Granularity.PER_TENSOR,
                    org.edgeq.quant.observe.ObserverKind.MIN_MAX, common.seed), p.bits())) {
                // Added after the QAT hook, the masks also zero the removed weights of each in-place quantization.
                EpochEnergy used = new EpochEnergy(energyMeter.start(), study.train.size());
                TrainingResult trained;
                try (EpochProgress progress = EpochProgress.onStderr(
                        (stats, improved) -> err.println(p.dirName() + ": " + TrainCommand.progressLine(stats, epochs, false) + used.next()),
                        p.dirName() + ": ", epochs, err)) {
                    trained = new Trainer(config).withHook(hook).withHook(new MaskHook(held)).train(net, study.train, study.validation, progress);
                } finally {
                    used.stop();
                }
                recordFineTuning(p.dirName(), used.stop(), trained, study, err);
                q = hook.exportQuantized();
                held.apply(); // the method's levels need not include zero
            }
            ModelUnderStudy.Measurement m = run.measure(net);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("quant_method", "qat-" + p.method().cliName());
            meta.put("bin_method", p.binMethod());
            meta.put("precision", Integer.toString(p.bits()));
            ModelUnderStudy.recordPruned(meta, held);
            run.add(net, q, meta, "qat-" + p.dirName(), m, ResultRow.Recipe.method("qat-" + p.method().cliName())
                    .withSet(p.set() == null ? null : p.set().cliName())
                    .withGranularity(CompressionRun.granularity(Granularity.PER_TENSOR)).withWeightBits(p.bits()));
        }
    }

    private String precision(int b) {
        return actBits == null ? Integer.toString(b) : "w" + b + "a" + actBits;
    }

    private String dirName(int b) {
        return "qat-w" + b + (actBits == null ? "" : "a" + actBits) + (lsq ? "-lsq" : "");
    }

    /**
     * Every weight layer's weights as the frozen fake quantizer computes them, with the integer codes recovered
     * from its scales and zero points (the exporter checks that the codes reproduce the values bit for bit).
     */
    static QatWeights quantizedWeights(Model net, QatHook hook, int bits) {
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        Map<String, float[]> exact = new LinkedHashMap<>();
        List<WeightLayer> layers = net.weightLayers();
        try (TensorScope scope = new TensorScope()) {
            for (int i = 0; i < layers.size(); i++) {
                WeightLayer l = layers.get(i);
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
     * Each weight layer's input quantization as compact JSON, {"net.0": {"bits": 8, "scale": s, "zero_point": z}, ...},
     * for the export's metadata (what integer inference needs besides the weights); null without activation quantizers.
     */
    /**
     * The frozen quantizers' weights: the values they compute (what was measured, and what is exported) and the
     * integer codes behind them. Where the codes do not reproduce the values bit for bit, the exporter ignores them
     * and stores a codebook instead, so the file always holds what was measured.
     */
    record QatWeights(Map<String, QuantizedTensor> codes, Map<String, float[]> values) {

        /** Puts the computed values into {@code net}'s weights once the hook is detached, so that the export holds them. */
        void loadInto(Model net) {
            for (WeightLayer l : net.weightLayers()) net.backend().upload(values.get(l.weight().name()), l.weight().value());
        }
    }
}
