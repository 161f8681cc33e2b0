package org.edgeq.cli;

import org.edgeq.study.ModelChoice;
import org.edgeq.study.PresetChoice;
import org.edgeq.study.DataLoading;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.EpochLines;
import org.edgeq.study.TrainedMetrics;
import org.edgeq.study.TrainingData;
import org.edgeq.progress.EpochProgress;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.OutputLock;
import org.edgeq.checkpoint.StagedDirectory;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Task;
import org.edgeq.energy.EnergyFigures;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.energy.EpochEnergy;
import org.edgeq.metrics.ProcessMemory;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.train.EpochStats;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.edgeq.train.LearningRateSchedule;
import org.edgeq.train.OptimizerSpec;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingDivergedException;
import org.edgeq.train.TrainingResult;
import org.edgeq.train.WarmUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code edgeq train}: trains a model on a dataset, reports test figures, and optionally keeps the model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Train a model on a dataset split 60/20/20 (train/validation/test, seeded, stratified for "
                        + "classification; Fashion-MNIST keeps its own test file), with tabular features standardised on "
                        + "the training split. Prints one progress line per epoch on stderr and the test figures at the end.",
                "",
                "Models: dense-simple (the reference study's, hidden [10]), dense-complex (the reference study's, [20,40,60,30], dropout 0.1), "
                        + "dense (--hidden), cnn-seed (the reference study's CNN), cnn-small, resnet9 (the last three for images).",
                "Datasets: synthetic-blobs (default, generated), synthetic-hard (generated; accuracy well below 1.0 and falling at "
                        + "2-4 bits: made for compression studies), synthetic-regression, synthetic-images, churn, telescope, california, mv, "
                        + "fashion-mnist (read from the data directory), or a file: .csv (with --target), .dat, IDX, CIFAR.",
                "",
                "--preset seed reruns the tables of the reference study (the 'seed' study EdgeQ started from) on california, mv, churn and telescope as its scripts "
                        + "(data/*_data.py, train_*.py) ran them. It changes, against EdgeQ's default:",
                "  * data: california drops Longitude and Latitude, divides the target by 1000 (MSE loss in thousands of "
                        + "dollars squared; test_mse stays in the file's dollars) and keeps only the rows whose target lies within "
                        + "its 5%% and 95%% quantiles, both included; california and mv features are min-max scaled to [0, 1], "
                        + "mv's target is used as it is; churn puts its one-hot Geography and Gender columns first, unscaled, and "
                        + "standardises the others; telescope standardises all ten. Every scaler is fitted on all (kept) rows, "
                        + "before the split. EdgeQ: every row and column, features standardised on the training split only, "
                        + "regression targets standardised on the training split.",
                "  * split: 40%% of the rows held out at random, half of them (the odd row included) the test split; not "
                        + "stratified. EdgeQ: 60/20/20 stratified by class for classification. Both are seeded by --seed with "
                        + "EdgeQ's generator: the proportions are the reference study's, the rows are not (scikit-learn's generator is not "
                        + "reproduced).",
                "  * model and training: dense-complex is [50,100,100,50] with dropout 0.1 for regression (EdgeQ: "
                        + "[20,40,60,30] for every task) and regression trains 20 epochs (EdgeQ: 10). The same in both: "
                        + "dense-simple [10], dense-complex [20,40,60,30] with dropout 0.1 for classification, 10 epochs for "
                        + "classification, batch 16, Adam lr 1e-3, MSE or cross-entropy, PyTorch's initialisation.",
                "  Options given explicitly (--epochs, --dropout, --batch-size, --lr, ...) still win. model.json records the "
                        + "preset, the kept rows and columns and the scaling, so eval, quantize, prune, qat and distill rebuild "
                        + "exactly these rows.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq train                                          seconds, no data needed",
                "  edgeq train --dataset telescope --model dense-simple --out runs/telescope",
                "  edgeq train --dataset california --model dense-complex --preset seed --out runs/california",
                "  edgeq train --dataset fashion-mnist --model cnn-small --epochs 5 --lr 2e-3",
                "  edgeq train --dataset synthetic-images --model resnet9 --limit 256 --epochs 1  (smoke run)",
                "  edgeq train --json | tail -n 1                       figures as one JSON object",
                "",
                "Ctrl-C stops after the current batch; with --out the best model so far is kept, unless it would replace "
                        + "a model (--overwrite), which then stays as it was."})
final class TrainCommand implements Callable<Integer> {

    /** Schedule choices; an enum so that --help lists them. */
    enum ScheduleChoice {
        CONSTANT, STEP, COSINE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Optimiser choices. */
    enum OptimizerChoice {
        ADAM, SGD;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", paramLabel = "NAME|FILE", defaultValue = Datasets.SYNTHETIC_BLOBS,
            description = "Dataset name or file (default: ${DEFAULT-VALUE}, generated, needs no files).")
    String dataset;

    @Option(names = "--target", paramLabel = "COLUMN", description = "Target column of a generic CSV file.")
    String target;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "dense-simple",
            description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ModelChoice model;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "edgeq",
            description = "Defaults to start from: ${COMPLETION-CANDIDATES} (seed: the reference study's data preparation, split, models and epochs; "
                    + "see above; default: ${DEFAULT-VALUE}).")
    PresetChoice preset;

    @Option(names = "--hidden", paramLabel = "N", split = ",", converter = Ranges.HiddenWidth.class,
            description = "Hidden layer widths of --model dense (default: 64,32).")
    List<Integer> hidden;

    @Option(names = "--dropout", paramLabel = "P", converter = Ranges.Fraction.class, description = "Dropout probability for dense and cnn-small models (default: the preset's).")
    Float dropout;

    @Option(names = "--epochs", paramLabel = "N", converter = Ranges.Epochs.class,
            description = "Passes over the training split (default: 10, as in the reference study; --preset seed: 20 for regression, as in the reference study).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", converter = Ranges.BatchSize.class, description = "Samples per step (default: 16 for dense models as in the reference study, 64 for CNNs).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", converter = Ranges.LearningRate.class, description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "Optimiser: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; sgd uses momentum 0.9).")
    OptimizerChoice optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "Learning-rate schedule: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; step divides "
                    + "the rate by 10 every third of the epochs, cosine anneals it to 0).")
    ScheduleChoice schedule;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0", converter = Ranges.WeightDecay.class, description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0", converter = Ranges.Patience.class,
            description = "Stop after N epochs without a better validation loss and keep the best weights (default: 0 = off).")
    int patience;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "5", converter = Ranges.WarmUpSeconds.class,
            description = "Before epoch 1, train a throwaway copy of the model on random data for at most this long, until its "
                    + "steps stop getting faster, so the JIT has compiled the kernels and epoch 1 runs at the speed of the "
                    + "others (default: 5; 0 = off; skipped when an epoch has under 200 batches). The run's own results "
                    + "do not change.")
    double warmUpSeconds;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", converter = Ranges.SampleLimit.class,
            description = "Train on at most N samples (validation and test on at most N/4 each): smoke runs of big models (default: 0 = all).")
    int limit;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep the model here: model.safetensors (the final model), model.json (architecture, standardiser, "
                    + "metrics), split.json (the rows of each split). The folder is built beside DIR under a temporary name "
                    + "(the best weights so far rewritten whenever validation improves) and renamed into place when complete, "
                    + "so DIR is absent or whole; one run per DIR at a time.")
    Path out;

    @Option(names = "--overwrite", description = "Allow --out to replace a model already saved in DIR; the old model stays "
            + "whole until the new one is complete (a run that fails, diverges or is stopped keeps it).")
    boolean overwrite;

    @Mixin
    EnergyCliOptions energy;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        EnergyOptions energyOptions = energy.options();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a file, not a directory");
        }
        // One run per --out: a second one is refused at once; the lock is held until the model is published.
        try (OutputLock ignored = out == null ? null : OutputGuard.lock(spec, "--out", out)) {
            return train(stdout, err, energyOptions);
        }
    }

    /** The model files of a directory train --out writes; --overwrite replaces a directory holding only these. */
    static final Set<String> MODEL_FILES = Set.of(Checkpoint.WEIGHTS, Checkpoint.DESCRIPTION, Checkpoint.SPLIT);

    private Integer train(PrintWriter stdout, PrintWriter err, EnergyOptions energyOptions) throws IOException {
        boolean replaces = false;
        if (out != null) {
            StagedDirectory.cleanStale(out); // a killed run's temporaries; an old model it had set aside comes back
            replaces = Files.exists(out.resolve(Checkpoint.WEIGHTS)) || Files.exists(out.resolve(Checkpoint.DESCRIPTION));
            if (replaces && !overwrite) {
                throw new UsageException("--out " + out + " already holds a model; choose another directory or add --overwrite");
            }
            List<String> foreign = StagedDirectory.foreignEntries(out, MODEL_FILES);
            if (!foreign.isEmpty()) {
                throw new UsageException("--out " + out + " holds files that are not a model's (" + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                        + (foreign.size() > 3 ? ", ..." : "") + "); give a new or empty directory");
            }
        }

        // Everything that can fail on bad input happens before anything is written.
        TrainingData data = TrainingData.prepare(DataLoading.registry(common.dataDir), dataset, target, preset == PresetChoice.SEED,
                common.seed, limit);
        Dataset all = data.all();
        Dataset trainSet = data.train();
        Dataset valSet = data.validation();
        Dataset testSet = data.test();
        SplitIndices split = data.split();
        TrainingMetadata.TargetScale targetScale = data.targetScale();
        int outputs = data.outputs();
        ModelConfig modelConfig = preset.config(model, all.featureShape(), outputs, all.task(), hidden, dropout);
        ModelFactory.layerShapes(modelConfig); // too large to build: refused from shapes, before any output (issue 11)
        int batch = batchSize != null ? batchSize : (model.isDense() ? 16 : 64);
        int epochCount = epochs != null ? epochs : preset.epochs(all.task());
        TrainingConfig trainingConfig = new TrainingConfig(epochCount, batch, lr, scheduleFor(epochCount), optimizerFor(), weightDecay, common.seed, patience);

        err.printf(Locale.ROOT, "data: %s (%s), %d samples of %s, %s; train %d, validation %d, test %d%n", all.name(), data.source(),
                all.size(), Arrays.toString(all.featureShape()), describeTask(all), trainSet.size(),
                valSet == null ? 0 : valSet.size(), testSet.size());
        if (data.seedData() != null) {
            err.printf(Locale.ROOT, "preset: seed; %d of %d rows and %d of %d features kept, scaling fitted on all of them, unstratified split%n",
                    all.size(), data.loaded().size(), all.featureCount(), data.loaded().featureCount());
        }
        TrainingMetadata metadata = data.metadata(dataset, common.seed, settings(batch, epochCount));

        try (Backend backend = BackendSelection.open(common, err);
             Model net = ModelFactory.create(modelConfig, backend, common.seed);
             // The model is built out of sight and renamed into place when it is complete: --out is absent or whole.
             StagedDirectory staged = out == null ? null : StagedDirectory.begin(out, MODEL_FILES)) {
            err.printf(Locale.ROOT, "model: %s, %,d parameters%n", model.cliName(), net.parameterCount());
            EnergyMeter meter = EnergyMeters.forBackend(backend.name(), energyOptions);
            err.println("energy: " + meter.describe());
            ModelDescription description = new ModelDescription(modelConfig, metadata);
            if (staged != null) {
                Checkpoint.saveDescription(staged.path(), description);
                Checkpoint.saveSplit(staged.path(), all.name(), all.size(), split);
            }
            Trainer trainer = new Trainer(trainingConfig);
            CheckpointKeeper keeper = new CheckpointKeeper(net, description, staged == null ? null : staged.path());
            boolean replacing = replaces;
            CountDownLatch finished = new CountDownLatch(1);
            Thread onCtrlC = new Thread(() -> {
                keeper.interrupted = true;
                trainer.requestStop();
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "edgeq-ctrl-c");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            // The hook holds the JVM open until this method is done, so the last messages and files get out.
            try {
                if (warmUpSeconds > 0 && WarmUp.worthIt(trainSet.size(), batch)) {
                    WarmUp.Report warm = WarmUp.run(modelConfig, backend, trainSet, trainingConfig, warmUpSeconds, () -> keeper.interrupted);
                    err.printf(Locale.ROOT, "warm-up: %.1f s, %d steps of a throwaway copy (--warm-up 0 skips it)%n", warm.seconds(), warm.batches());
                }
                TrainingResult result;
                // The energy of the training itself (every epoch, with its validation), not of the test pass after it.
                EpochEnergy energyUsed = new EpochEnergy(meter.start(), trainSet.size());
                // On a terminal each epoch's batches show as a bar with ETA until the epoch's line replaces it.
                try (EpochProgress progress = EpochProgress.onStderr((stats, improved) -> {
                    boolean saved = keeper.epochEnded(stats, improved);
                    err.println(progressLine(stats, epochCount, saved) + energyUsed.next() + (keeper.interrupted ? "  (interrupted)" : ""));
                }, "", epochCount, err)) {
                    result = trainer.train(net, trainSet, valSet, progress);
                } catch (TrainingDivergedException e) {
                    err.println("edgeq train: " + e.getMessage());
                    err.println("edgeq train: " + unfinished(staged, keeper, replacing, "the last good checkpoint"));
                    return ExitCodes.FAILURE;
                } finally {
                    energyUsed.stop();
                }
                // Per training sample processed: every epoch passes over the whole training split.
                EnergyFigures energyFigures = new EnergyFigures(energyUsed.stop(), (long) trainSet.size() * result.epochsRun(), energyOptions.grid());
                if (keeper.interrupted || result.stop() == TrainingResult.StopReason.INTERRUPTED) {
                    err.println("edgeq train: interrupted after " + result.epochsRun() + " epoch(s); "
                            + unfinished(staged, keeper, replacing, "the best checkpoint"));
                    return 130;
                }

                Evaluation test = Evaluator.evaluate(net, testSet, batch);
                EpochStats last = result.last();
                Map<String, Double> metrics = TrainedMetrics.of(last, test, all.task(), targetScale, result.seconds());
                if (staged != null) {
                    // The final model is the one whose figures are reported; it replaces the best-so-far weights,
                    // and only now does the directory appear under its name (or replace the old model).
                    Checkpoint.saveWeights(staged.path(), net.backend(), net.stateDict(), description);
                    Checkpoint.saveDescription(staged.path(), new ModelDescription(modelConfig, metadata.withMetrics(metrics)));
                    staged.publish();
                }

                JsonLine json = new JsonLine()
                        .put("command", "train").put("dataset", all.name()).put("model", model.cliName())
                        .put("task", all.task().name().toLowerCase(Locale.ROOT))
                        .put("backend", backend.name()).put("seed", common.seed).put("preset", preset.toString())
                        .put("parameters", net.parameterCount())
                        .put("train_samples", trainSet.size()).put("test_samples", testSet.size())
                        .put("epochs", result.epochsRun()).put("best_epoch", result.bestEpoch())
                        .put("stop", result.stop().name().toLowerCase(Locale.ROOT));
                metrics.forEach(json::put);
                energyFigures.jsonFields().forEach(json::put);
                OptionalLong peakRss = ProcessMemory.peakResidentBytes();
                json.put("peak_rss_bytes", peakRss.isPresent() ? peakRss.getAsLong() : null);
                json.put("out", out == null ? null : out.toString());
                if (common.json) {
                    stdout.println(json);
                } else {
                    stdout.printf(Locale.ROOT, "%s on %s: %d epochs in %.1f s (%s)%n", model.cliName(), all.name(), result.epochsRun(),
                            result.seconds(), result.stop().name().toLowerCase(Locale.ROOT).replace('_', ' '));
                    if (all.task() == Task.CLASSIFICATION) {
                        stdout.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f (%d samples)%n", test.accuracy(), test.loss(), test.samples());
                    } else {
                        stdout.printf(Locale.ROOT, "test R² %.4f, test MSE %.6g (%d samples)%n", test.r2(), metrics.get("test_mse"), test.samples());
                    }
                    stdout.println("training " + energyFigures.summary());
                    if (peakRss.isPresent()) {
                        stdout.printf(Locale.ROOT, "peak memory of the process (resident): %.0f MB%n", peakRss.getAsLong() / 1e6);
                    }
                    if (out != null) stdout.println("saved to " + out);
                }
                return ExitCodes.OK;
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting (Ctrl-C) and the hook is running
                }
            }
        }
    }

    /**
     * What happens to a run that did not finish (diverged or Ctrl-C): its best checkpoint is published into an --out
     * that held no model; a model it was to replace (--overwrite) is kept as it was and the checkpoint dropped.
     */
    private static String unfinished(StagedDirectory staged, CheckpointKeeper keeper, boolean replacing, String what) throws IOException {
        if (staged == null) return "nothing saved (no --out)";
        if (replacing) return "the model already in " + staged.target() + " is kept as it was";
        if (keeper.savedEpoch == 0) return "no epoch finished, so nothing was written to " + staged.target();
        staged.publish();
        return what + " (epoch " + keeper.savedEpoch + ") is kept in " + staged.target();
    }

    /** Writes the weights into the staging folder whenever validation improves (every epoch without a validation split). */
    private final class CheckpointKeeper {
        private final Model net;
        private final ModelDescription description;
        private final Path dir;
        volatile boolean interrupted;
        int savedEpoch;

        CheckpointKeeper(Model net, ModelDescription description, Path dir) {
            this.net = net;
            this.description = description;
            this.dir = dir;
        }

        /** True when this epoch's weights were written. A partial epoch cut short by Ctrl-C is never saved. */
        boolean epochEnded(EpochStats stats, boolean improved) {
            if (dir == null || interrupted) return false;
            boolean noValidation = Double.isNaN(stats.valLoss());
            if (!(improved || noValidation) || !Double.isFinite(stats.trainLoss())) return false;
            try {
                Checkpoint.saveWeights(dir, net.backend(), net.stateDict(), description);
                savedEpoch = stats.epoch();
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(out + ": cannot write checkpoint: " + e.getMessage(), e);
            }
        }
    }

    private LearningRateSchedule scheduleFor(int epochCount) {
        return switch (schedule) {
            case CONSTANT -> new LearningRateSchedule.Constant();
            case STEP -> new LearningRateSchedule.Step(Math.max(1, epochCount / 3), 0.1f);
            case COSINE -> new LearningRateSchedule.Cosine(epochCount, 0f);
        };
    }

    private OptimizerSpec optimizerFor() {
        return switch (optimizer) {
            case ADAM -> OptimizerSpec.Adam.defaults();
            case SGD -> new OptimizerSpec.Sgd(0.9f, false);
        };
    }

    private Map<String, String> settings(int batch, int epochCount) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", model.cliName());
        s.put("preset", preset.toString());
        s.put("epochs", Integer.toString(epochCount));
        s.put("batch_size", Integer.toString(batch));
        s.put("lr", Float.toString(lr));
        s.put("optimizer", optimizer.toString());
        s.put("schedule", schedule.toString());
        s.put("weight_decay", Float.toString(weightDecay));
        s.put("patience", Integer.toString(patience));
        s.put("limit", Integer.toString(limit));
        // A CSV file's target column: the compression commands and the library read the same file again with it.
        if (target != null) s.put(ModelUnderStudy.TARGET_SETTING, target);
        return s;
    }

    private static String describeTask(Dataset d) {
        return d.task() == Task.CLASSIFICATION ? d.numClasses() + " classes" : "regression";
    }

    static String progressLine(EpochStats s, int epochs, boolean saved) {
        return EpochLines.line(s, epochs, saved);
    }
}
