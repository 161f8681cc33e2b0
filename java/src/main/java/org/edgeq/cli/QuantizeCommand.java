package org.edgeq.cli;

import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.nn.Model;
import org.edgeq.prune.PruningMasks;
import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.Granularity;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.MultiPointGridQuantizer;
import org.edgeq.quant.MultiPointQuantizer;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.StochasticRoundingQuantizer;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.ResultRow;
import org.edgeq.quant.fake.ActivationCalibration;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.quant.fake.QuantSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq quantize}: post-training weight quantization of a trained model over a grid of methods, sets and widths. */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Quantize the weights of a model saved by 'edgeq train --out DIR' and measure it on its own split. "
                        + "Lists expand to every combination, so one command produces the seed's table: each row quantizes "
                        + "a fresh copy of the FP32 weights, evaluates train and test rows, times inference (batch-1 "
                        + "latency p50/p99 after a warm-up, throughput at --eval-batch-size), counts its MACs and BOPs and "
                        + "its peak memory, measures the exported file's size and appends a row to the results CSV "
                        + "(schema v2). The first row is the FP32 model itself (method fp32).",
                "",
                "The seed's methods, under its rules (golden-tested against numpy/scipy/torch re-runs of its code): "
                        + "mid-rise (every parameter tensor; per-element step when a tensor's first dimension is 1; "
                        + "--set iqr: its mid-rise over the IQR range), rounding (scipy's binning between consecutive set "
                        + "entries; where scipy refuses the set - prior-normal's order, 1 bit, repeated entries - the seed's "
                        + "older element rule, ties up), stochastic (lower entry with probability "
                        + "(upper - w)/(upper - lower), drawn from EdgeQ's seeded Philox stream), multipoint (p+1 greedy "
                        + "points, the scale chosen among candidates drawn at random, seeded by --seed; skips the first "
                        + "parameter, the last one and every bias, so the output weight is quantized). "
                        + "EdgeQ's own: multipoint-grid (the scale searched over a fixed grid, never worse with more points), "
                        + "affine (integer formats). 'all' = every method. Seed names are accepted: mid_rise, "
                        + "regular_rounding, normal_rounding, stochastic_rounding, multi-point.",
                "",
                "Sets (--set) for rounding and stochastic: the seed's uniform, iqr, histogram, prior-normal "
                        + "(quantiles, then min, then max, as the seed stores them); EdgeQ's normal (the same points "
                        + "sorted), int-sym, int-asym. One set per module, pooled from its weight and bias. Mid-rise takes "
                        + "uniform (its full range, the default) or iqr; affine takes int-sym or int-asym as its format "
                        + "(default int-sym). Seed names: uniform_range, uniform_range_IQR, prior_normal, full_range. "
                        + "Where the seed's code fails EdgeQ goes on: a 0/0 (a constant tensor, a zero "
                        + "in a [1, n] tensor) keeps the value, an IQR of width 0 uses the full range, multipoint refuses 1 bit "
                        + "and rounds all-negative weights onto its grid sorted. --per-channel (EdgeQ) applies to Linear and "
                        + "Conv2d weights.",
                "",
                "Started from a pruned export ('edgeq prune --out DIR', then --model DIR/<row>), each row zeroes the "
                        + "removed weights again after quantizing, so the rows keep the source's sparsity.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq quantize --model runs/tel --method mid-rise,rounding,stochastic,multipoint \\",
                "      --set uniform,iqr,histogram,prior-normal --bits 16,12,10,8,6,4      the seed's table",
                "  edgeq quantize --model runs/tel --method affine --set int-asym --bits 8,4 --per-channel --observer mse",
                "  edgeq quantize --model runs/tel --method rounding --bits 4 --out runs/tel-q4   keep the 4-bit export",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/<method>[-<set>]-<bits>bit[-a<act>]/."})
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StudiedModelOption model;

    @Option(names = "--method", paramLabel = "NAME", split = ",", defaultValue = "rounding",
            description = "Methods, comma-separated: mid-rise, rounding, stochastic, multipoint (the seed's), multipoint-grid, "
                    + "affine (EdgeQ's), or all (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--set", paramLabel = "NAME", split = ",",
            description = "Sets, comma-separated: uniform, iqr, histogram, prior-normal (the seed's), normal, int-sym, int-asym "
                    + "(EdgeQ's); each applies to the methods that take it (default: uniform for rounding and stochastic, "
                    + "the full range for mid-rise, int-sym for affine).")
    List<String> sets;

    @Option(names = "--bits", paramLabel = "N", split = ",", defaultValue = "8",
            description = "Weight bit widths, comma-separated, each 1..16 (multipoint: 2..16) (default: ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--act-bits", paramLabel = "N",
            description = "Also quantize every layer's input activations to N bits (static, per tensor, calibrated on training batches).")
    Integer actBits;

    @Option(names = "--calibration-batches", paramLabel = "N", defaultValue = "16",
            description = "Training batches (of --eval-batch-size rows) that calibrate the activation ranges for --act-bits (default: ${DEFAULT-VALUE}).")
    int calibrationBatches;

    @Option(names = "--per-channel", description = "One scale, set or step per output channel of each Linear and Conv2d weight "
            + "instead of per tensor (EdgeQ; the seed quantizes per tensor).")
    boolean perChannel;

    @Option(names = "--observer", paramLabel = "NAME", description = "Range observer for affine weights and --act-bits: "
            + "minmax, moving-average (or ema), percentile, mse (default: minmax).")
    String observer;

    @Mixin
    StudyOutputOptions output;

    @Mixin
    EnergyCliOptions energy;

    /** One row to produce: a method, its set or integer format (null if none) and a bit width. */
    record Plan(QuantMethod method, LandmarkSetKind set, int bits) {
        String binMethod() {
            return set == null ? "" : set.cliName();
        }

        String dirName() {
            return method.cliName() + (set == null ? "" : "-" + set.cliName()) + "-" + bits + "bit";
        }

        String dirName(Integer actBits) {
            return actBits == null ? dirName() : dirName() + "-a" + actBits;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        List<Plan> plans = plans();
        ObserverKind observerKind = observerKind(plans);
        output.validate();
        QuantSpec activations = null;
        if (actBits != null) {
            if (actBits < 2 || actBits > 16) throw new UsageException("--act-bits " + actBits + " is outside 2..16");
            if (calibrationBatches < 1) throw new UsageException("--calibration-batches must be >= 1, got " + calibrationBatches);
            org.edgeq.quant.fake.ObserverKind range = switch (observerKind) {
                case MIN_MAX -> org.edgeq.quant.fake.ObserverKind.RUNNING_MIN_MAX;
                case MOVING_AVERAGE -> org.edgeq.quant.fake.ObserverKind.MOVING_AVERAGE;
                default -> throw new UsageException("--observer " + observerKind + " does not apply to --act-bits (activations take minmax or moving-average)");
            };
            activations = new QuantSpec(actBits, false, false, range, 0.01f, false);
        }
        output.checkOut(plans.stream().map(p -> p.dirName(actBits)).toList());
        ModelUnderStudy study = model.open(common);
        CommandRun command = output.open(study, common, stdout, err);
        CompressionRun run = command.rows();
        Granularity granularity = perChannel ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR;
        try (Backend backend = BackendSelection.open(common, err)) {
            run.start(EnergyMeters.forBackend(backend.name(), energy.options()));
            try (Model fp32 = study.build(backend, common.seed)) {
                run.baseline(fp32);
            }
            for (Plan p : plans) {
                try (Model net = study.build(backend, common.seed); PruningMasks held = study.heldMasks(net)) {
                    WeightQuantizer quantizer = quantizer(p, granularity, observerKind);
                    Map<String, QuantizedTensor> q = ModelQuantizer.apply(net, quantizer, p.bits());
                    held.apply(); // a pruned source's removed weights stay zero whatever the quantizer's levels
                    ModelUnderStudy.Measurement m;
                    String ranges = null;
                    if (activations == null) {
                        m = run.measure(net);
                    } else {
                        int[] rows = java.util.stream.IntStream.range(0, study.train.size()).toArray();
                        try (QatHook hook = ActivationCalibration.calibrate(net, study.train, rows, calibrationBatches, output.evalBatchSize, null, activations)) {
                            m = run.measure(net);
                            ranges = ActivationRanges.toJson(net, hook);
                        }
                    }
                    Map<String, String> meta = new LinkedHashMap<>();
                    meta.put("quant_method", p.method().cliName());
                    meta.put("bin_method", p.binMethod());
                    meta.put("precision", precision(p.bits()));
                    if (ranges != null) meta.put("activations", ranges);
                    meta.put("granularity", perChannel ? "per-channel" : "per-tensor");
                    ModelUnderStudy.recordPruned(meta, held);
                    boolean observed = p.method() == QuantMethod.AFFINE || activations != null;
                    run.add(net, q, meta, p.dirName(actBits), m, ResultRow.Recipe.method(p.method().cliName())
                            .withSet(p.set() == null ? null : p.set().cliName())
                            .withGranularity(CompressionRun.granularity(quantizer))
                            .withObserver(observed ? observerKind.cliName() : null)
                            .withWeightBits(p.bits()).withActivationBits(actBits));
                }
            }
        }
        command.finish(command.head("quantize"));
        return ExitCodes.OK;
    }

    private String precision(int bits) {
        return actBits == null ? Integer.toString(bits) : "w" + bits + "a" + actBits;
    }

    private WeightQuantizer quantizer(Plan p, Granularity granularity, ObserverKind observerKind) {
        return quantizer(p, granularity, observerKind, common.seed);
    }

    /** The weight quantizer a row's plan asks for. */
    static WeightQuantizer quantizer(Plan p, Granularity granularity, ObserverKind observerKind, long seed) {
        return switch (p.method()) {
            case MID_RISE -> new MidRiseQuantizer(granularity, p.set() == LandmarkSetKind.IQR ? MidRiseQuantizer.Range.IQR : MidRiseQuantizer.Range.FULL);
            case ROUNDING -> new RoundingQuantizer(p.set(), granularity);
            case STOCHASTIC -> new StochasticRoundingQuantizer(p.set(), granularity, seed);
            case MULTIPOINT -> new MultiPointQuantizer(seed);
            case MULTIPOINT_GRID -> new MultiPointGridQuantizer();
            case AFFINE -> new AffineQuantizer(p.set() != LandmarkSetKind.INT_ASYMMETRIC, granularity, observerKind);
        };
    }

    /** Whether {@code set} makes sense for {@code method} ({@link LandmarkSetKind#appliesTo}). */
    static boolean applies(LandmarkSetKind set, QuantMethod method) {
        return set.appliesTo(method);
    }

    List<Plan> plans() {
        return plans(methods, sets, bits);
    }

    /** Expands the lists to rows, refusing (exit 2) anything that does not fit before any work is done. */
    static List<Plan> plans(List<String> methods, List<String> sets, List<Integer> bits) {
        LinkedHashSet<QuantMethod> ms = new LinkedHashSet<>();
        for (String m : methods) {
            String s = m.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.equals("all")) {
                ms.addAll(List.of(QuantMethod.values()));
                continue;
            }
            try {
                ms.add(QuantMethod.fromCliName(s));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--method: " + e.getMessage().replace("quantization method", "method") + " or all");
            }
        }
        LinkedHashSet<LandmarkSetKind> ks = new LinkedHashSet<>();
        if (sets != null) {
            for (String s : sets) {
                try {
                    ks.add(LandmarkSetKind.fromCliName(s.strip().toLowerCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--set: " + e.getMessage());
                }
            }
        }
        for (LandmarkSetKind k : ks) {
            if (ms.stream().noneMatch(m -> applies(k, m))) {
                throw new UsageException("--set " + k.cliName() + " does not apply to --method " + String.join(",", ms.stream().map(QuantMethod::cliName).toList())
                        + " (sets apply to rounding and stochastic; uniform and iqr also to mid-rise; int-sym and int-asym also to affine)");
            }
        }
        if (bits.isEmpty()) throw new UsageException("--bits needs at least one width");
        for (int b : bits) {
            if (b < 1 || b > 16) throw new UsageException("--bits " + b + " is outside 1..16");
        }
        List<Plan> plans = new ArrayList<>();
        for (QuantMethod m : ms) {
            List<LandmarkSetKind> mine = new ArrayList<>();
            for (LandmarkSetKind k : ks) {
                // mid-rise's own range is its default row (no set); uniform names that range
                LandmarkSetKind own = m == QuantMethod.MID_RISE && k == LandmarkSetKind.UNIFORM ? null : k;
                if (applies(k, m) && !mine.contains(own)) mine.add(own);
            }
            if (mine.isEmpty() && m.usesLandmarkSet()) mine.add(LandmarkSetKind.UNIFORM);
            if (mine.isEmpty() && m == QuantMethod.AFFINE) mine.add(LandmarkSetKind.INT_SYMMETRIC);
            if (mine.isEmpty()) mine.add(null);
            for (LandmarkSetKind k : mine) {
                for (int b : bits) {
                    int min = minBits(m, k);
                    if (b < min) throw new UsageException("--bits " + b + " does not apply to --method " + m.cliName()
                            + (k == null ? "" : " with --set " + k.cliName()) + " (needs " + min + "..16"
                            + (m == QuantMethod.MULTIPOINT ? "; the seed's step divides by 2^(p-1) - 1 = 0 at p = 1" : "") + ")");
                    plans.add(new Plan(m, k, b));
                }
            }
        }
        return plans;
    }

    private static int minBits(QuantMethod m, LandmarkSetKind k) {
        if (m == QuantMethod.MULTIPOINT || m == QuantMethod.MULTIPOINT_GRID) return 2;
        if (k == LandmarkSetKind.INT_SYMMETRIC) return 2;
        return 1;
    }

    private ObserverKind observerKind(List<Plan> plans) {
        if (observer == null) return ObserverKind.MIN_MAX;
        ObserverKind k;
        try {
            String n = observer.strip().toLowerCase(java.util.Locale.ROOT);
            k = ObserverKind.fromCliName(n.equals("ema") ? ObserverKind.MOVING_AVERAGE.cliName() : n); // ema: the usual short name
        } catch (IllegalArgumentException e) {
            throw new UsageException("--observer: " + e.getMessage());
        }
        if (actBits == null && plans.stream().noneMatch(p -> p.method() == QuantMethod.AFFINE)) {
            throw new UsageException("--observer applies to --method affine and to --act-bits only");
        }
        return k;
    }
}
