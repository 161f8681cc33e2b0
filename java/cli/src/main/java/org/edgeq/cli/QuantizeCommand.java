package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.quant.LandmarkSetKind;
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
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** {@code edgeq quantize}: post-training weight quantization of a trained model over a grid of methods, sets and widths. */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Quantize the weights of a model saved by 'edgeq train --out DIR' and measure it on its own split. "
                        + "Lists expand to every combination, so one command produces the reference study's table: each row quantizes "
                        + "a fresh copy of the FP32 weights, evaluates train and test rows, times inference (batch-1 "
                        + "latency p50/p99 after a warm-up, throughput at --eval-batch-size), counts its MACs and BOPs and "
                        + "its peak memory, measures the exported file's size and appends a row to the results CSV "
                        + "(schema v2). The first row is the FP32 model itself (method fp32).",
                "",
                "The reference study's methods, under its rules (golden-tested against numpy/scipy/torch re-runs of its code): "
                        + "mid-rise (every parameter tensor; per-element step when a tensor's first dimension is 1; "
                        + "--set iqr: its mid-rise over the IQR range), rounding (scipy's binning between consecutive set "
                        + "entries; where scipy refuses the set - prior-normal's order, 1 bit, repeated entries - the reference study's "
                        + "older element rule, ties up), stochastic (lower entry with probability "
                        + "(upper - w)/(upper - lower), drawn from EdgeQ's seeded Philox stream), multipoint (p+1 greedy "
                        + "points, the scale chosen among candidates drawn at random, seeded by --seed; skips the first "
                        + "parameter, the last one and every bias, so the output weight is quantized). "
                        + "EdgeQ's own: multipoint-grid (the scale searched over a fixed grid, never worse with more points), "
                        + "affine (integer formats). 'all' = every method. The reference study's names are accepted: mid_rise, "
                        + "regular_rounding, normal_rounding, stochastic_rounding, multi-point.",
                "",
                "Sets (--set) for rounding and stochastic: the reference study's uniform, iqr, histogram, prior-normal "
                        + "(quantiles, then min, then max, as the reference study stores them); EdgeQ's normal (the same points "
                        + "sorted), int-sym, int-asym. One set per module, pooled from its weight and bias. Mid-rise takes "
                        + "uniform (its full range, the default) or iqr; affine takes int-sym or int-asym as its format "
                        + "(default int-sym). The reference study's names: uniform_range, uniform_range_IQR, prior_normal, full_range. "
                        + "Where the reference study's code fails EdgeQ goes on: a 0/0 (a constant tensor, a zero "
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
                "      --set uniform,iqr,histogram,prior-normal --bits 16,12,10,8,6,4      the reference study's table",
                "  edgeq quantize --model runs/tel --method affine --set int-asym --bits 8,4 --per-channel --observer mse",
                "  edgeq quantize --model runs/tel --method rounding --bits 4 --out runs/tel-q4   keep the 4-bit export",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/<method>[-<set>]-<bits>bit[-a<act>]/."})
final class QuantizeCommand extends CompressionCommand {

    @Mixin
    StudiedModelOption model;

    @Option(names = "--method", paramLabel = "NAME", split = ",", defaultValue = "rounding",
            description = "Methods, comma-separated: mid-rise, rounding, stochastic, multipoint (the reference study's), multipoint-grid, "
                    + "affine (EdgeQ's), or all (default: ${DEFAULT-VALUE}).")
    List<MethodChoice> methods;

    @Option(names = "--set", paramLabel = "NAME", split = ",",
            description = "Sets, comma-separated: uniform, iqr, histogram, prior-normal (the reference study's), normal, int-sym, int-asym "
                    + "(EdgeQ's); each applies to the methods that take it (default: uniform for rounding and stochastic, "
                    + "the full range for mid-rise, int-sym for affine).")
    List<LandmarkSetKind> sets;

    @Option(names = "--bits", paramLabel = "N", split = ",", defaultValue = "8",
            description = "Weight bit widths, comma-separated, each 1..16 (multipoint: 2..16) (default: ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--act-bits", paramLabel = "N", converter = Ranges.GridBits.class,
            description = "Also quantize every layer's input activations to N bits (static, per tensor, calibrated on training batches).")
    Integer actBits;

    @Option(names = "--calibration-batches", paramLabel = "N", defaultValue = "16", converter = Ranges.AtLeastOne.class,
            description = "Training batches (of --eval-batch-size rows) that calibrate the activation ranges for --act-bits (default: ${DEFAULT-VALUE}).")
    int calibrationBatches;

    @Option(names = "--per-channel", description = "One scale, set or step per output channel of each Linear and Conv2d weight "
            + "instead of per tensor (EdgeQ; the reference study quantizes per tensor).")
    boolean perChannel;

    @Option(names = "--observer", paramLabel = "NAME", description = "Range observer for affine weights and --act-bits: "
            + "${COMPLETION-CANDIDATES} (moving-average also as ema) (default: minmax).")
    ObserverKind observer;

    @Mixin
    StudyOutputOptions output;

    @Override
    Integer run(PrintWriter stdout, PrintWriter err) throws IOException {
        List<PtqPlan> plans = plans();
        ObserverKind observerKind = observerKind(plans);
        if (actBits != null) CellRunner.activationSpec(actBits, observerKind); // refuses an observer activations do not take
        output.checkOut(plans.stream().map(p -> p.dirName(actBits)).toList());
        ModelUnderStudy study = model.open(common);
        CommandRun command = output.open(study, common, stdout, err);
        CompressionRun run = command.rows();
        try (command; Backend backend = BackendSelection.open(common, err)) { // command: holds --out and --csv until the rows are written
            run.start(EnergyMeters.forBackend(backend.name(), output.energy.options()));
            CellRunner rows = new CellRunner(run, backend, common.seed, output.energy.options().grid(), err);
            rows.baseline();
            for (PtqPlan p : plans) rows.quantize(new Variant.Ptq(p, actBits, perChannel, observerKind, calibrationBatches));
        }
        command.finish(command.head("quantize"));
        return ExitCodes.OK;
    }

    List<PtqPlan> plans() {
        return PtqPlans.expand(MethodChoice.union(methods), sets, bits, PtqPlans.Names.OPTIONS);
    }

    private ObserverKind observerKind(List<PtqPlan> plans) {
        if (observer == null) return ObserverKind.MIN_MAX;
        if (actBits == null && plans.stream().noneMatch(p -> p.method() == QuantMethod.AFFINE)) {
            throw new UsageException("--observer applies to --method affine and to --act-bits only");
        }
        return observer;
    }
}
