package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.CellRunner;
import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.PtqPlan;
import org.edgeq.study.PtqPlans;
import org.edgeq.study.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
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

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        List<PtqPlan> plans = plans();
        ObserverKind observerKind = observerKind(plans);
        output.validate();
        if (actBits != null) {
            if (actBits < 2 || actBits > 16) throw new UsageException("--act-bits " + actBits + " is outside 2..16");
            if (calibrationBatches < 1) throw new UsageException("--calibration-batches must be >= 1, got " + calibrationBatches);
            CellRunner.activationSpec(actBits, observerKind); // refuses an observer activations do not take
        }
        output.checkOut(plans.stream().map(p -> p.dirName(actBits)).toList());
        ModelUnderStudy study = model.open(common);
        CommandRun command = output.open(study, common, stdout, err);
        CompressionRun run = command.rows();
        try (command; Backend backend = BackendSelection.open(common, err)) { // command: holds --out and --csv until the rows are written
            run.start(EnergyMeters.forBackend(backend.name(), energy.options()));
            CellRunner rows = new CellRunner(run, backend, common.seed, energy.options().grid(), err);
            rows.baseline();
            for (PtqPlan p : plans) rows.quantize(new Variant.Ptq(p, actBits, perChannel, observerKind, calibrationBatches));
        }
        command.finish(command.head("quantize"));
        return ExitCodes.OK;
    }

    List<PtqPlan> plans() {
        return PtqPlans.expand(methods, sets, bits);
    }

    private ObserverKind observerKind(List<PtqPlan> plans) {
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
