package org.edgeq.api;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Preprocessing;
import org.edgeq.data.Task;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.ModelExporter;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved model loaded for prediction: it takes raw feature rows, applies the scaling its model.json records (the
 * standardisation fitted in training), runs the network on its backend and returns outputs in the data's own units.
 * Not thread-safe: one thread predicts at a time. Close it to free the weights and the backend.
 */
public final class EdgeQModel implements AutoCloseable {
    /** Rows per forward pass: bounds the memory a large {@code predict} call takes on the backend. */
    private static final int BATCH = 256;

    private final Path dir;
    private final Backend backend;
    private final Model net;
    private final QatHook activations;
    private final TrainingMetadata training;
    private final Preprocessing scaling;
    private final int features;

    private EdgeQModel(Path dir, Backend backend, Model net, QatHook activations, TrainingMetadata training) {
        this.dir = dir;
        this.backend = backend;
        this.net = net;
        this.activations = activations;
        this.training = training;
        this.scaling = training.preprocessing();
        this.features = Math.toIntExact(net.inputShape().numel());
    }

    /** Reads and validates {@code dir}, builds its network on {@code backend} (which the model then owns). */
    static EdgeQModel open(Path dir, Backend backend) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such model folder (expected one written by 'edgeq train --out DIR')");
        Path weights = dir.resolve(Checkpoint.WEIGHTS);
        Path compressed = dir.resolve(CompressedModelFile.FILE_NAME);
        if (!Files.exists(weights) && !Files.exists(compressed)) {
            throw new IOException(dir + ": holds neither " + Checkpoint.WEIGHTS + " nor " + CompressedModelFile.FILE_NAME);
        }
        long seed = 0; // dropout is off at inference and every weight is loaded: the seed changes nothing
        if (Files.exists(weights)) {
            SavedModel saved = Checkpoint.read(dir);
            Model net = ModelFactory.create(saved.description().config(), backend, seed);
            try {
                saved.loadInto(net.stateDict(), net.backend());
                return new EdgeQModel(dir, backend, net, null, saved.description().training());
            } catch (IOException | RuntimeException e) {
                net.close();
                throw e;
            }
        }
        ModelDescription description = Checkpoint.readDescription(dir);
        CompressedModelFile.Contents export = CompressedModelFile.read(compressed);
        Model net = ModelExporter.load(export, backend, seed);
        try {
            // An export quantized with its activations runs with the same frozen input quantizers, as edgeq eval does.
            String ranges = export.metadata().get("activations");
            QatHook hook = ranges == null ? null : ActivationRanges.restore(net, ActivationRanges.fromJson(ranges));
            return new EdgeQModel(dir, backend, net, hook, description.training());
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * The network's outputs for raw feature rows: each row is scaled as in training first. For classification one
     * logit per class (the larger, the likelier; see {@link #predictClasses}); for regression one value per row in
     * the target's own units (the saved target scaling undone).
     *
     * @param rawRows rows of {@link #featureCount()} values each, in the order of the model's input columns
     *                (for images: channel, row, column), unscaled, as the dataset file holds them
     * @return one output row per input row
     * @throws IllegalArgumentException when a row has the wrong length or a non-finite value
     */
    public float[][] predict(float[][] rawRows) {
        if (rawRows == null) throw new IllegalArgumentException("rows must not be null");
        float[][] result = new float[rawRows.length][];
        int outputs = Math.toIntExact(net.outputShape().numel());
        for (int start = 0; start < rawRows.length; start += BATCH) {
            int n = Math.min(BATCH, rawRows.length - start);
            float[] x = flatten(rawRows, start, n);
            if (scaling.features() != null) scaling.features().applyInPlace(x);
            float[] y = new float[n * outputs];
            try (TensorScope scope = new TensorScope()) {
                Tensor in = backend.allocate(scope, DType.F32, n, features);
                backend.upload(x, in);
                backend.download(net.forward(in, false), y);
            }
            if (scaling.target() != null) scaling.target().inverseInPlace(y);
            for (int i = 0; i < n; i++) {
                result[start + i] = new float[outputs];
                System.arraycopy(y, i * outputs, result[start + i], 0, outputs);
            }
        }
        return result;
    }

    /**
     * The predicted class of each raw feature row: the index of its largest output, an index into {@link #classNames()}.
     *
     * @param rawRows rows as {@link #predict} takes them
     * @return one class index per row
     * @throws IllegalStateException    for a regression model
     * @throws IllegalArgumentException when a row has the wrong length or a non-finite value
     */
    public int[] predictClasses(float[][] rawRows) {
        if (task() != Task.CLASSIFICATION) throw new IllegalStateException(dir + " is a regression model: use predict");
        float[][] logits = predict(rawRows);
        int[] classes = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) if (logits[i][c] > logits[i][best]) best = c;
            classes[i] = best;
        }
        return classes;
    }

    /** {@return how many values one input row holds} */
    public int featureCount() {
        return features;
    }

    /** {@return classification or regression, as the model was trained} */
    public Task task() {
        return training.task();
    }

    /** {@return the class names in label order, as {@link #predictClasses} indexes them (empty for regression)} */
    public List<String> classNames() {
        return training.classNames();
    }

    /** {@return the name of the dataset the model was trained on, as its model.json records it} */
    public String dataset() {
        return training.dataset();
    }

    /** {@return the name of the backend the model runs on, e.g. {@code cpu}} */
    public String backendName() {
        return backend.name();
    }

    /** {@return the folder the model was loaded from} */
    public Path dir() {
        return dir;
    }

    /** Frees the weights and the backend; the model cannot predict afterwards. */
    @Override
    public void close() {
        try (backend; net) {
            if (activations != null) activations.close();
        }
    }

    private float[] flatten(float[][] rows, int start, int n) {
        float[] x = new float[n * features];
        for (int i = 0; i < n; i++) {
            float[] row = rows[start + i];
            if (row == null || row.length != features) {
                throw new IllegalArgumentException("row " + (start + i) + " has " + (row == null ? "no" : row.length)
                        + " values; the model takes " + features + " per row");
            }
            for (int j = 0; j < features; j++) {
                if (!Float.isFinite(row[j])) throw new IllegalArgumentException("row " + (start + i) + ", feature " + j + " is " + row[j]);
            }
            System.arraycopy(row, 0, x, i * features, features);
        }
        return x;
    }
}
