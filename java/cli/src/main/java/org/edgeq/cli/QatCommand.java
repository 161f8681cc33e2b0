package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyFigures;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
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
import java.util.ArrayList;
import java.util.List;

/** {@code edgeq qat}: quantization-aware fine-tuning of a trained model, one row per weight bit width. */
@Command(name = "qat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Fine-tune a model saved by 'edgeq train --out DIR' with fake-quantized weights (symmetric, per output "
                        + "channel, min-max) and optionally activations (--act-bits: every weight layer's input, per tensor, "
                        + "asymmetric, moving-average range), straight-through gradients, then freeze the observers, "
                        + "measure the quantized model on its own split and export its integer weights. The first row is the "
                        + "FP32 model it starts from (method fp32).",
                "",
                "--method mid-rise, rounding or stochastic runs the reference study's QAT instead (its qat.py and training loop, "
                        + "golden-tested step by step against torch re-runs of its code). Every step: each parameter named "
                        + "*.weight (batch-norm gamma included) is quantized with a set built from that weight alone "
                        + "(--set uniform, histogram or prior-normal, not pooled with the bias) or its own mid-rise step "
                        + "(per element when the first dimension is 1); biases stay full precision; forward and backward run "
                        + "on the quantized weights; each weight's gradient is multiplied by its slope (max(wq) - min(wq)) / "
                        + "(max(w) - min(w)) (1 where max(w) = min(w)); the full-precision weights are put back and the "
                        + "optimizer steps on them. The export quantizes the trained weights by the same rule, biases FP32.",
                "",
                "Training is Adam, as the reference study's loop, at the model's own learning rate and batch size (--lr, "
                        + "--train-batch-size). EdgeQ's, not the reference study's: each epoch's validation measures the quantized model "
                        + "where the reference study's loop evaluated the full-precision one; regression models train the same way on their "
                        + "MSE (the reference study's loop is cross-entropy only); stochastic rounding draws from a Philox stream seeded "
                        + "by --seed, fresh every step; where the reference study's mid-rise divides 0 by 0 (a constant "
                        + "weight, a zero in a [1, n] weight) the value is kept. The reference study's QAT "
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
                "  edgeq qat --model runs/tel --method rounding --set uniform,histogram,prior-normal --bits 4,2   the reference study's QAT",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/qat-w<bits>[a<act>][-lsq]/ (affine) or DIR/qat-<method>[-<set>]-<bits>bit/."})
final class QatCommand extends CompressionCommand {

    @Mixin
    StudiedModelOption model;

    @Option(names = "--bits", paramLabel = "N", split = ",", defaultValue = "8", description = "Weight bit widths, comma-separated, "
            + "each 2..16 (the reference study's methods: 1..16, multipoint 2..16) (default: ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--act-bits", paramLabel = "N", converter = Ranges.GridBits.class, description = "Also fake-quantize activations to N bits, 2..16 (default: weights only).")
    Integer actBits;

    @Option(names = "--lsq", description = "Learn the step sizes (LSQ, Esser et al. 2020) instead of taking them from the observers.")
    boolean lsq;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "affine",
            description = "Quantizer trained through: affine (default: fake-quant integer grids, STE, optional LSQ and "
                    + "activations), or the reference study's QAT with mid-rise, rounding or stochastic (weights only, a set per weight, "
                    + "gradients times the slope; see above), or EdgeQ's multipoint / multipoint-grid under the same rule.")
    QuantMethod method;

    @Option(names = "--set", paramLabel = "NAME", split = ",", description = "Landmark sets, comma-separated, one row each: "
            + "uniform, histogram, prior-normal (the reference study's QAT), iqr, normal, int-sym, int-asym (EdgeQ's) for rounding and "
            + "stochastic (default: uniform); uniform (its full range, the default) or iqr (EdgeQ's) for mid-rise.")
    List<LandmarkSetKind> sets;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", converter = Ranges.Epochs.class, description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    StudyTrainingOptions fineTuning;

    @Mixin
    StudyOutputOptions output;

    @Override
    Integer run(PrintWriter stdout, PrintWriter err) throws IOException {
        boolean seedMethod = method != QuantMethod.AFFINE;
        List<PtqPlan> seedPlans = null;
        if (seedMethod) {
            seedPlans = PtqPlans.expand(List.of(method), sets, bits, PtqPlans.Names.OPTIONS);
            if (actBits != null) throw new UsageException("--act-bits applies to --method affine only (the reference study's QAT quantizes weights)");
            if (lsq) throw new UsageException("--lsq applies to --method affine only");
        } else {
            if (sets != null) {
                throw new UsageException("--set " + String.join(",", sets.stream().map(LandmarkSetKind::cliName).toList())
                        + " applies only to the reference study's methods (mid-rise, rounding, stochastic)");
            }
            for (int b : bits) Ranges.GRID_BITS.check("--bits", b);
        }
        EnergyOptions energyOptions = output.energy.options();
        Variant.Training training = new Variant.Training(epochs, fineTuning.lr, fineTuning.trainBatchSize);
        List<Variant> variants = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        if (seedMethod) {
            for (PtqPlan p : seedPlans) variants.add(new Variant.SeedQat(p, training));
        } else {
            for (int b : bits) variants.add(new Variant.Qat(b, actBits, lsq, training));
        }
        for (Variant v : variants) dirs.add(v instanceof Variant.Qat q ? q.dirName() : ((Variant.SeedQat) v).dirName());
        output.checkOut(dirs);
        ModelUnderStudy study = model.open(common);
        CommandRun command = output.open(study, common, stdout, err);
        CompressionRun run = command.rows();
        EnergyFigures fineTuningEnergy;
        try (command; Backend backend = BackendSelection.open(common, err)) { // command: holds --out and --csv until the rows are written
            EnergyMeter energyMeter = EnergyMeters.forBackend(backend.name(), energyOptions);
            err.println("energy: " + energyMeter.describe());
            run.start(energyMeter);
            CellRunner rows = new CellRunner(run, backend, common.seed, energyOptions.grid(), err).withEpochBars();
            rows.baseline();
            for (Variant v : variants) {
                if (v instanceof Variant.Qat q) rows.qat(q);
                else rows.seedQat((Variant.SeedQat) v);
            }
            fineTuningEnergy = rows.fineTuningEnergy();
        }
        JsonLine head = command.head("qat").put("epochs", epochs).put("lsq", lsq);
        if (fineTuningEnergy != null) {
            // The fine-tuning of every row together: its seconds, energy, and energy per training sample processed.
            err.println("qat: fine-tuning of " + dirs.size() + " row(s): " + fineTuningEnergy.summary());
            head.put("seconds", fineTuningEnergy.reading().seconds());
            fineTuningEnergy.jsonFields().forEach(head::put);
        }
        command.finish(head);
        return ExitCodes.OK;
    }
}
