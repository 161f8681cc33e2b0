package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.prune.GlobalMagnitudePruner;
import org.edgeq.prune.GradualPruning;
import org.edgeq.prune.LayerMagnitudePruner;
import org.edgeq.prune.SeedMagnitudePruner;
import org.edgeq.prune.MaskHook;
import org.edgeq.prune.PolynomialSchedule;
import org.edgeq.prune.PruneThenQuantize;
import org.edgeq.prune.Pruner;
import org.edgeq.prune.PruningMasks;
import org.edgeq.prune.StructuredSparsity24;
import org.edgeq.quant.Granularity;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.train.Trainer;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq prune}: magnitude pruning of a trained model, one-shot or gradual, optionally fine-tuned and quantized. */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prune the weights of a model saved by 'edgeq train --out DIR' and measure it on its own split, one row "
                        + "per --ratio. The output layer is left alone unless --include-output, as the seed did. Fine-tuning (--epochs) holds the masks through "
                        + "every optimizer step, so removed weights stay exactly zero; the export stores sparse layers as a "
                        + "bitmap plus the remaining values when that is smaller.",
                "",
                "Scopes: seed (the seed's per-layer dense-rank rule), layer (exactly the ratio in every layer), global "
                        + "(one magnitude threshold over all layers), 2:4 (two non-zeros in every group of four inputs; "
                        + "ratio 0.5). Schedules: oneshot (prune once, then fine-tune if --epochs), gradual (Zhu & Gupta's "
                        + "polynomial schedule over the first 3/4 of --epochs, then fine-tuning with the masks held).",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq prune --model runs/churn --ratio 0.7,0.8,0.9 --scope seed           the seed's one-shot rows",
                "  edgeq prune --model runs/churn --ratio 0.9 --schedule gradual --scope global --epochs 10",
                "  edgeq prune --model runs/tel --ratio 0.5 --scope 2:4 --epochs 3 --then-quantize affine --bits 4",
                "",
                "Results go to --csv (default: results.csv in --out, else in the current directory); "
                        + "--out DIR keeps each row's export in DIR/prune-<schedule>-<scope>-<ratio>[-<method>-<bits>bit]/."})
final class PruneCommand implements Callable<Integer> {

    /** Pruning scopes; an enum so that --help lists them. */
    enum Scope {
        SEED("seed"), LAYER("layer"), GLOBAL("global"), TWO_FOUR("2:4");

        private final String cliName;

        Scope(String cliName) {
            this.cliName = cliName;
        }

        Pruner pruner(boolean includeOutputLayer) {
            return switch (this) {
                case SEED -> new SeedMagnitudePruner();
                case LAYER -> new LayerMagnitudePruner(includeOutputLayer);
                case GLOBAL -> new GlobalMagnitudePruner(includeOutputLayer);
                case TWO_FOUR -> new StructuredSparsity24(includeOutputLayer);
            };
        }

        @Override
        public String toString() {
            return cliName;
        }
    }

    /** Pruning schedules. */
    enum Schedule {
        ONESHOT, GRADUAL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StudiedModelOption model;

    @Option(names = "--ratio", paramLabel = "R", split = ",", defaultValue = "0.5",
            description = "Fractions of weights to remove, comma-separated, each in [0, 1) (default: ${DEFAULT-VALUE}).")
    List<Double> ratios;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "oneshot", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Schedule schedule;

    @Option(names = "--scope", paramLabel = "NAME", defaultValue = "layer", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Scope scope;

    @Option(names = "--include-output", description = "Prune the output layer too (the seed never does; without it the "
            + "overall sparsity stays below --ratio by the output layer's share of the weights).")
    boolean includeOutput;

    @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs with the masks held (default: 0 for oneshot, 10 for gradual).")
    Integer epochs;

    @Mixin
    StudyTrainingOptions fineTuning;

    @Option(names = "--then-quantize", paramLabel = "METHOD", description = "Quantize after pruning (removed weights stay zero): "
            + "mid-rise, rounding, stochastic, multipoint, affine.")
    String thenQuantize;

    @Option(names = "--set", paramLabel = "NAME", description = "Landmark set or integer format for --then-quantize (as 'edgeq quantize').")
    String set;

    @Option(names = "--bits", paramLabel = "N", description = "Bit width for --then-quantize, 1..16 (default: 8).")
    Integer bits;

    @Mixin
    StudyOutputOptions output;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        if (ratios.isEmpty()) throw new UsageException("--ratio needs at least one value");
        for (double r : ratios) {
            if (!(r >= 0 && r < 1)) throw new UsageException("--ratio " + r + " is outside [0, 1)");
            if (scope == Scope.TWO_FOUR && r != 0.5) throw new UsageException("--ratio " + r + " does not apply to --scope 2:4 (it removes exactly 0.5)");
        }
        int fineTune = epochs != null ? epochs : (schedule == Schedule.GRADUAL ? 10 : 0);
        if (fineTune < 0 || fineTune > 100_000) throw new UsageException("--epochs must be 0..100000, got " + fineTune);
        if (schedule == Schedule.GRADUAL && fineTune < 1) throw new UsageException("--epochs must be >= 1 with --schedule gradual");
        fineTuning.validate();
        output.validate();
        QuantizeCommand.Plan quant = null;
        if (thenQuantize != null) {
            List<QuantizeCommand.Plan> plans = QuantizeCommand.plans(List.of(thenQuantize), set == null ? null : List.of(set),
                    List.of(bits == null ? 8 : bits));
            quant = plans.getFirst();
        } else if (set != null || bits != null) {
            throw new UsageException((set != null ? "--set" : "--bits") + " applies only with --then-quantize METHOD");
        }
        List<String> dirs = new ArrayList<>();
        for (double r : ratios) dirs.add(dirName(r, quant));
        output.checkOut(dirs);
        ModelUnderStudy study = model.open(common);
        CompressionRun run = CompressionRun.open(study, output, common, stdout, err);
        TrainingConfig config = fineTune == 0 ? null : study.trainingConfig(fineTune, fineTuning.lr, fineTuning.trainBatchSize, common.seed);
        String name = study.modelName();
        try (Backend backend = BackendSelection.open(common, err)) {
            for (double r : ratios) {
                try (Model net = study.build(backend, common.seed); PruningMasks masks = prune(net, r, config, study, err)) {
                    Map<String, QuantizedTensor> q = Map.of();
                    if (quant != null) {
                        q = PruneThenQuantize.quantize(masks, QuantizeCommand.quantizer(quant, Granularity.PER_TENSOR,
                                ObserverKind.MIN_MAX, common.seed), quant.bits()).quantized();
                    }
                    ModelUnderStudy.Measurement m = run.measure(net);
                    Map<String, String> meta = new LinkedHashMap<>();
                    meta.put("pruning", schedule + " " + scope + " " + r + (fineTune > 0 ? ", " + fineTune + " fine-tuning epochs" : ""));
                    if (quant != null) meta.put("quant_method", quant.method().cliName());
                    String method = "prune-" + schedule + "-" + scope + (quant == null ? "" : "+" + quant.method().cliName());
                    run.add(net, q, meta, dirName(r, quant), m, new CompressionRun.RowLabel(name, method,
                            quant == null ? "" : quant.binMethod(), quant == null ? "32" : Integer.toString(quant.bits())));
                }
            }
        }
        run.finish(run.head("prune").put("schedule", schedule.toString()).put("scope", scope.toString()).put("epochs", fineTune));
        return ExitCodes.OK;
    }

    private String dirName(double ratio, QuantizeCommand.Plan quant) {
        String s = "prune-" + schedule + "-" + scope.toString().replace(':', 'x') + "-" + ratio;
        return quant == null ? s : s + "-" + quant.dirName();
    }

    /** Prunes {@code net} to {@code ratio} by the chosen schedule, fine-tuning when configured; the masks hold afterwards. */
    private PruningMasks prune(Model net, double ratio, TrainingConfig config, ModelUnderStudy study, PrintWriter err) {
        Pruner pruner = scope.pruner(includeOutput);
        PruningMasks masks;
        Trainer trainer;
        if (schedule == Schedule.ONESHOT) {
            masks = PruningMasks.prune(net, pruner, ratio);
            if (config == null) return masks;
            trainer = new Trainer(config).withHook(new MaskHook(masks));
        } else {
            masks = new PruningMasks(net);
            int stepsPerEpoch = Math.ceilDiv(study.train.size(), config.batchSize());
            long total = (long) stepsPerEpoch * config.epochs();
            int frequency = Math.max(1, stepsPerEpoch / 4);
            int steps = (int) Math.max(1, (total * 3 / 4) / frequency);
            trainer = new Trainer(config).withHook(new GradualPruning(masks, pruner, new PolynomialSchedule(0, ratio, 1, steps, frequency)));
        }
        try {
            trainer.train(net, study.train, study.validation, (stats, improved) ->
                    err.println("ratio " + ratio + ": " + TrainCommand.progressLine(stats, config.epochs(), false)));
            masks.apply();
            return masks;
        } catch (RuntimeException e) {
            masks.close();
            throw e;
        }
    }
}
