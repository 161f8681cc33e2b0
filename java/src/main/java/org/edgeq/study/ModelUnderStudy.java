package org.edgeq.study;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.AtomicFiles;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.BoundedInput;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Preprocessing;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.ModelExporter;
import org.edgeq.metrics.VariantFigures;
import org.edgeq.metrics.VariantMeter;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.prune.PruningMasks;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.edgeq.train.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained model directory opened for a compression study: its description, its weights held so that every row
 * starts from a fresh copy, and its own training and test rows standardised as in training. The directory is one
 * written by 'edgeq train --out' (FP32 safetensors) or a row's export of a compression command (model.eqz with
 * model.json and split.json beside it), whose weights are taken as exported; when that export was pruned its
 * metadata names the pruned parameters, and {@link #heldMasks} keeps their zeros through whatever comes next.
 */
public final class ModelUnderStudy {
    public final Path dir;
    public final ModelDescription description;
    public final Dataset all;
    public final Dataset train;
    public final Dataset validation;
    public final Dataset test;
    public final SplitIndices split;
    /** Every row of the dataset standardised as in training, for trainers that take rows by index. */
    public final Dataset prepared;
    /** Size of the weights file the study starts from (model.safetensors, or model.eqz for an export). */
    public final long safetensorsBytes;
    /** Parameters the source export was pruned in, from its metadata (none for a trained model directory). */
    public final List<String> prunedParameters;
    /** The training setting (model.json) naming a CSV file's target column, recorded by edgeq train --target. */
    public static final String TARGET_SETTING = "target";
    private final SavedModel saved;
    private final CompressedModelFile.Contents export;

    private ModelUnderStudy(Path dir, ModelDescription description, Dataset all, SplitIndices split, Dataset train,
                            Dataset validation, Dataset test, long safetensorsBytes, SavedModel saved,
                            CompressedModelFile.Contents export) {
        this.dir = dir;
        this.description = description;
        this.all = all;
        this.split = split;
        this.prepared = description.training().preprocessing().apply(all);
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.safetensorsBytes = safetensorsBytes;
        this.saved = saved;
        this.export = export;
        this.prunedParameters = export == null ? List.of()
                : PruningMasks.parseMetadata(export.metadata().get(PruningMasks.METADATA_KEY));
    }

    /**
     * Opens and validates {@code --model DIR}; refuses a missing directory, one holding neither weights file, an
     * untrained model and a model without its split. Named datasets are read from {@code dataDir} (null: the default
     * data directory, {@link DataLoading#registry}).
     */
    public static ModelUnderStudy open(String option, Path dir, Path dataDir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new BadUsageException(option + " " + dir + ": no such directory (expected one written by 'edgeq train --out DIR')");
        }
        Path weights = dir.resolve(Checkpoint.WEIGHTS);
        Path compressed = dir.resolve(CompressedModelFile.FILE_NAME);
        boolean fromExport = !Files.exists(weights) && Files.exists(compressed);
        if (!fromExport && !Files.exists(weights)) {
            throw new BadUsageException(option + " " + dir + ": holds neither " + Checkpoint.WEIGHTS + " nor " + CompressedModelFile.FILE_NAME
                    + " (not a directory written by 'edgeq train --out' or by a compression command's --out)");
        }
        SavedModel saved = fromExport ? null : Checkpoint.read(dir);
        CompressedModelFile.Contents export = fromExport ? CompressedModelFile.read(compressed) : null;
        if (export != null) export.decodeAll(); // a corrupt export is refused before any work
        ModelDescription description = fromExport ? Checkpoint.readDescription(dir) : saved.description();
        TrainingMetadata meta = description.training();
        if (meta.metrics().isEmpty()) {
            throw new BadUsageException(option + " " + dir + ": the model is untrained or its training did not finish "
                    + "(model.json records no final metrics)");
        }
        Datasets.Resolved resolved = DataLoading.load(DataLoading.registry(dataDir), meta.source(), meta.settings().get(TARGET_SETTING));
        Dataset all = select(option, dir, meta, resolved.dataset());
        Optional<SplitIndices> split = Checkpoint.readSplit(dir, all.name(), all.size());
        if (split.isEmpty()) throw new BadUsageException(option + " " + dir + ": has no split.json, so its own test rows are unknown");
        Preprocessing scaling = meta.preprocessing();
        Dataset train = scaling.apply(all.subset(split.get().train()));
        Dataset validation = scaling.apply(all.subset(split.get().validation()));
        Dataset test = scaling.apply(all.subset(split.get().test()));
        return new ModelUnderStudy(dir, description, all, split.get(), train, validation, test,
                Files.size(fromExport ? compressed : weights), saved, export);
    }

    /** The rows and columns a preset kept (model.json's selection), so the split applies to the data it was made on. */
    public static Dataset select(String option, Path dir, TrainingMetadata meta, Dataset loaded) {
        try {
            return meta.select(loaded);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + " " + dir + ": its recorded data selection does not fit " + meta.source() + ": " + e.getMessage(), e);
        }
    }

    /** The command-line name the model was trained as, e.g. dense-simple. */
    public String modelName() {
        return description.training().settings().getOrDefault("model", description.config().architecture());
    }

    /** A fresh model with the saved weights (FP32, or as exported); the caller closes it. */
    public Model build(Backend backend, long seed) throws IOException {
        if (export != null) return ModelExporter.load(export, backend, seed);
        Model m = ModelFactory.create(description.config(), backend, seed);
        try {
            saved.loadInto(m.stateDict(), m.backend()); // checks names, shapes and the file's size again before copying
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Masks holding the zeros of the parameters the source export was pruned in (no masks for an unpruned source),
     * applied to {@code net}, a model from {@link #build}: fine-tuning, quantization and further pruning keep
     * those elements removed. The caller closes them.
     */
    public PruningMasks heldMasks(Model net) {
        try {
            return PruningMasks.holdingZerosOf(net, prunedParameters);
        } catch (IllegalArgumentException e) {
            throw new BadUsageException(dir + ": " + e.getMessage());
        }
    }

    /** The export metadata entry naming the parameters {@code masks} prune, if any (none added otherwise). */
    public static void recordPruned(Map<String, String> meta, PruningMasks masks) {
        if (!masks.prunedParameters().isEmpty()) meta.put(PruningMasks.METADATA_KEY, masks.metadataValue());
    }

    /**
     * Figures of {@code net} on the training and test rows in batches of {@code batchSize}, and through {@code meter}
     * its profile, latency, throughput, peak memory and the energy of the test pass (which the meter runs once).
     */
    public Measurement measure(Model net, int batchSize, VariantMeter meter) {
        Evaluation tr = Evaluator.evaluate(net, train, batchSize);
        Evaluation[] te = new Evaluation[1];
        VariantFigures figures = meter.measure(net, test, () -> te[0] = Evaluator.evaluate(net, test, batchSize));
        return new Measurement(tr, te[0], figures, TargetUnits.of(description.training()));
    }

    /** What one model measured on this study's split, and the units its regression errors are reported in. */
    public record Measurement(Evaluation train, Evaluation test, VariantFigures figures, TargetUnits units) {

        /**
         * The figures as a results row holds them: losses in the model's training units, test MSE in the target's
         * own units; R² needs no conversion (scaling the target scales both of its sums of squares alike).
         */
        public ResultRow.Quality quality() {
            return new ResultRow.Quality(train.loss(), train.accuracy(), test.loss(), test.accuracy(),
                    units.mse(test.mse()), test.r2());
        }
    }

    /** Exports {@code net} to rowDir/model.eqz when rowDir is given; returns the file's size either way. */
    public static long export(Model net, Map<String, QuantizedTensor> quantized, Map<String, String> meta, Path rowDir)
            throws IOException {
        if (rowDir != null) return ModelExporter.write(rowDir.resolve(CompressedModelFile.FILE_NAME), net, quantized, meta);
        return ModelExporter.bytes(net, quantized, meta).length;
    }

    /** Fine-tuning settings: the seed's defaults, with the model's own batch size and learning rate unless overridden. */
    public TrainingConfig trainingConfig(int epochs, Float lr, Integer batchSize, long seed) {
        Map<String, String> s = description.training().settings();
        int batch = batchSize != null ? batchSize : Integer.parseInt(s.getOrDefault("batch_size", "16"));
        float rate = lr != null ? lr : Float.parseFloat(s.getOrDefault("lr", "1e-3"));
        return TrainingConfig.seedDefaults(seed).withEpochs(epochs).withBatchSize(batch).withLearningRate(rate);
    }

    /** Writes model.json (with the row's figures as metrics) and split.json beside an exported model in {@code rowDir}. */
    public void describeExport(Path rowDir, ResultRow row) throws IOException {
        describeExport(rowDir, row, description.config());
    }

    /** As {@link #describeExport(Path, ResultRow)} for a model of another architecture (a distilled student). */
    public void describeExport(Path rowDir, ResultRow row, ModelConfig config) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        ResultRow.Quality q = row.quality();
        metrics.put("train_loss", q.trainLoss());
        metrics.put("train_acc", q.trainAcc());
        metrics.put("test_loss", q.testLoss());
        metrics.put("test_acc", q.testAcc());
        metrics.put("test_mse", q.testMse());
        metrics.put("r2", q.testR2());
        metrics.put("sparsity", row.cost().sparsity());
        metrics.put("size_bytes", (double) row.cost().sizeBytes());
        metrics.values().removeIf(v -> !Double.isFinite(v));
        Checkpoint.saveDescription(rowDir, new ModelDescription(config, description.training().withMetrics(metrics)));
        Path split = dir.resolve(Checkpoint.SPLIT);
        AtomicFiles.write(rowDir.resolve(Checkpoint.SPLIT), BoundedInput.readAllBytes(split, BoundedInput.JSON_CAP,
                reason -> new CheckpointFormatException(split, reason)));
    }
}
