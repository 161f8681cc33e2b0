package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.study.CellRunner;
import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.PruneSchedule;
import org.edgeq.study.PruneScope;
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

/** {@code edgeq prune}: magnitude pruning of a trained model, one-shot or gradual, optionally fine-tuned and quantized. */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prune a model saved by 'edgeq train --out DIR' and measure it on its own split: the FP32 model first "
                        + "(method fp32), then one row per --ratio (and per quantizer, set and width with --then-quantize). "
                        + "Fine-tuning (--epochs) holds the masks through every optimizer step, so removed elements stay "
                        + "exactly zero; the export stores sparse tensors as a bitmap plus the remaining values when that is "
                        + "smaller, and its metadata names the pruned parameters, so that qat, quantize and prune started from "
                        + "it keep them pruned.",
                "",
                "Scopes:",
                "  seed    the reference study's rule (its prune_model): every parameter tensor except the last state-dict entry "
                        + "(the output layer's bias), so hidden biases, batch-norm scales and shifts and the output weight "
                        + "are pruned too, each tensor on its own: rank |w| densely from 0 (equal magnitudes share a rank) "
                        + "and zero every element whose rank is at most ceil(max rank * ratio); even --ratio 0 removes each "
                        + "tensor's smallest magnitude, and ties can remove far more than the ratio. Batch-norm running "
                        + "statistics are left unchanged, as in the reference study's runs on a GPU.",
                "  layer   (default; EdgeQ) exactly round(ratio * n) smallest-magnitude weights in every weight layer "
                        + "but the output layer; biases and batch norms are kept.",
                "  global  (EdgeQ) one magnitude threshold over the weights of all those layers together.",
                "  2:4     (EdgeQ) two non-zeros in every group of four inputs; ratio 0.5.",
                "--include-output adds the output layer to EdgeQ's scopes.",
                "",
                "Schedules: oneshot (prune once, then fine-tune if --epochs), gradual (Zhu & Gupta's polynomial schedule "
                        + "over the first 3/4 of --epochs, then fine-tuning with the masks held).",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq prune --model runs/churn --ratio 0,0.5,0.7,0.8,0.9 --scope seed     the reference study's one-shot rows",
                "  edgeq prune --model runs/churn --ratio 0.9 --schedule gradual --scope global --epochs 10",
                "  edgeq prune --model runs/tel --ratio 0.5 --scope 2:4 --epochs 3 --then-quantize affine --bits 4",
                "  edgeq prune --model runs/tel --ratio 0.5,0.7 --then-quantize rounding,mid-rise --bits 4,2",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/prune-<schedule>-<scope>-<ratio>[-<method>[-<set>]-<bits>bit]/."})
final class PruneCommand extends CompressionCommand {

    @Mixin
    StudiedModelOption model;

    @Option(names = "--ratio", paramLabel = "R", split = ",", defaultValue = "0.5", converter = Ranges.Ratio.class,
            description = "Fractions to remove, comma-separated, each in [0, 1), as each --scope reads them (default: ${DEFAULT-VALUE}).")
    List<Double> ratios;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "oneshot", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PruneSchedule schedule;

    @Option(names = "--scope", paramLabel = "NAME", defaultValue = "layer", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PruneScope scope;

    @Option(names = "--include-output", description = "Prune the output layer's weight too with --scope layer, global or 2:4 "
            + "(without it the overall sparsity stays below --ratio by the output layer's share of the weights). "
            + "--scope seed prunes the output weight by its own rule and refuses this option.")
    boolean includeOutput;

    @Option(names = "--epochs", paramLabel = "N", converter = Ranges.FineTuningEpochs.class, description = "Fine-tuning epochs with the masks held (default: 0 for oneshot, 10 for gradual).")
    Integer epochs;

    @Mixin
    StudyTrainingOptions fineTuning;

    @Option(names = "--then-quantize", paramLabel = "METHOD", split = ",", description = "Quantize after pruning, methods "
            + "comma-separated as 'edgeq quantize --method' takes them (removed elements are zeroed again afterwards); "
            + "every ratio is pruned (and fine-tuned) once and quantized by each method, set and width.")
    List<MethodChoice> thenQuantize;

    @Option(names = "--set", paramLabel = "NAME", split = ",", description = "Landmark sets or integer formats for --then-quantize, comma-separated (as 'edgeq quantize').")
    List<LandmarkSetKind> sets;

    @Option(names = "--bits", paramLabel = "N", split = ",", description = "Bit widths for --then-quantize, comma-separated, each 1..16 (default: 8).")
    List<Integer> bits;

    @Mixin
    StudyOutputOptions output;

    @Override
    Integer run(PrintWriter stdout, PrintWriter err) throws IOException {
        if (ratios.isEmpty()) throw new UsageException("--ratio needs at least one value");
        if (scope == PruneScope.SEED && includeOutput) {
            throw new UsageException("--include-output does not apply to --scope seed (the reference study's rule already prunes the output "
                    + "weight, and every other tensor but the output bias)");
        }
        for (double r : ratios) {
            if (scope == PruneScope.TWO_FOUR && r != 0.5) throw new UsageException("--ratio " + r + " does not apply to --scope 2:4 (it removes exactly 0.5)");
        }
        int fineTune = epochs != null ? epochs : (schedule == PruneSchedule.GRADUAL ? 10 : 0);
        if (schedule == PruneSchedule.GRADUAL && fineTune < 1) throw new UsageException("--epochs must be >= 1 with --schedule gradual");
        List<PtqPlan> quant = List.of();
        if (thenQuantize != null) {
            quant = PtqPlans.expand(MethodChoice.union(thenQuantize), sets, bits == null ? List.of(8) : bits, PtqPlans.Names.OPTIONS);
        } else if (sets != null || bits != null) {
            throw new UsageException((sets != null ? "--set" : "--bits") + " applies only with --then-quantize METHOD");
        }
        List<Variant.Prune> variants = new ArrayList<>();
        for (double r : ratios) {
            variants.add(new Variant.Prune(schedule, scope, r, includeOutput, new Variant.Training(fineTune, fineTuning.lr, fineTuning.trainBatchSize), quant));
        }
        List<String> dirs = new ArrayList<>();
        for (Variant.Prune v : variants) {
            if (quant.isEmpty()) dirs.add(v.dirName(null));
            for (PtqPlan p : quant) dirs.add(v.dirName(p));
        }
        output.checkOut(dirs);
        ModelUnderStudy study = model.open(common);
        CommandRun command = output.open(study, common, stdout, err);
        CompressionRun run = command.rows();
        try (command; Backend backend = BackendSelection.open(common, err)) { // command: holds --out and --csv until the rows are written
            run.start(EnergyMeters.forBackend(backend.name(), output.energy.options()));
            CellRunner rows = new CellRunner(run, backend, common.seed, output.energy.options().grid(), err).withEpochBars();
            rows.baseline();
            for (Variant.Prune v : variants) rows.prune(v);
        }
        command.finish(command.head("prune").put("schedule", schedule.toString()).put("scope", scope.toString()).put("epochs", fineTune));
        return ExitCodes.OK;
    }
}
