package org.edgeq.api;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Standardizer;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library facade: a saved model loaded by {@link EdgeQ#load} predicts from raw rows, scaled as in training. */
class EdgeQModelTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs();
    private static final ModelConfig CONFIG = new ModelConfig("dense", BLOBS.featureShape(), BLOBS.numClasses(), List.of(16), 0f, false);

    @TempDir
    Path tmp;

    /** A dense model on synthetic-blobs with its initial weights and a recorded standardisation, saved as 'edgeq train --out' would. */
    private Path savedModel(Standardizer scaling) throws IOException {
        Path dir = tmp.resolve("model");
        SplitIndices split = new SplitIndices(IntStream.range(0, 600).toArray(), IntStream.range(600, 700).toArray(),
                IntStream.range(700, 900).toArray());
        TrainingMetadata meta = new TrainingMetadata(BLOBS.name(), "synthetic-blobs", BLOBS.task(), BLOBS.classNames(),
                scaling.mean(), scaling.std(), null, 42, Map.of("model", "dense"), Map.of("test_acc", 0.5));
        try (Backend backend = TestBackends.cpu(1); Model m = ModelFactory.create(CONFIG, backend, 7)) {
            Checkpoint.save(dir, m.stateDict(), new ModelDescription(CONFIG, meta), split, BLOBS.size());
        }
        return dir;
    }

    private static float[][] rawRows(int n) {
        int f = BLOBS.featureShape()[0];
        float[] all = BLOBS.copyFeatures();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = Arrays.copyOfRange(all, i * f, (i + 1) * f);
        return rows;
    }

    /** The same network run directly on rows scaled by hand: what predict must reproduce from the raw rows. */
    private static float[] logitsOfScaled(Path dir, float[][] raw, Standardizer scaling) throws IOException {
        int f = raw[0].length;
        float[] x = new float[raw.length * f];
        for (int i = 0; i < raw.length; i++) System.arraycopy(raw[i], 0, x, i * f, f);
        scaling.applyInPlace(x);
        try (Backend backend = TestBackends.cpu(1); Model m = ModelFactory.create(CONFIG, backend, 7);
             TensorScope scope = new TensorScope()) {
            Checkpoint.read(dir).loadInto(m.stateDict());
            Tensor in = Tensor.of(scope, x, raw.length, f);
            return m.forward(in, false).toFloatArray();
        }
    }

    @Test
    void predictAppliesTheSavedStandardisationToRawRows() throws IOException {
        int f = BLOBS.featureShape()[0];
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            mean[j] = 0.5f * j - 1;
            std[j] = 2f + j;
        }
        Standardizer scaling = new Standardizer(mean, std);
        Path dir = savedModel(scaling);
        float[][] raw = rawRows(300); // more than one of predict's batches
        float[] expected = logitsOfScaled(dir, raw, scaling);
        try (EdgeQModel model = EdgeQ.load(dir, "cpu")) {
            assertEquals(f, model.featureCount());
            assertEquals(BLOBS.classNames(), model.classNames());
            float[][] logits = model.predict(raw);
            int k = BLOBS.numClasses();
            for (int i = 0; i < raw.length; i++) {
                assertArrayEquals(Arrays.copyOfRange(expected, i * k, (i + 1) * k), logits[i], 1e-5f, "row " + i);
            }
            int[] classes = model.predictClasses(raw);
            for (int i = 0; i < raw.length; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (logits[i][c] > logits[i][best]) best = c;
                assertEquals(best, classes[i], "row " + i);
            }
        }
    }

    @Test
    void aRowOfTheWrongLengthIsRefusedNamingTheRow() throws IOException {
        int f = BLOBS.featureShape()[0];
        Path dir = savedModel(new Standardizer(new float[f], filled(f, 1f)));
        try (EdgeQModel model = EdgeQ.load(dir, "cpu")) {
            float[][] rows = rawRows(3);
            rows[2] = new float[f + 1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(rows));
            assertEquals("row 2 has " + (f + 1) + " values; the model takes " + f + " per row", e.getMessage());
        }
    }

    @Test
    void aMissingFolderIsRefusedNamingIt() {
        Path missing = tmp.resolve("nothing-here");
        IOException e = assertThrows(IOException.class, () -> EdgeQ.load(missing, "cpu"));
        assertTrue(e.getMessage().startsWith(missing + ": no such model folder"), e.getMessage());
    }

    @Test
    void quantizeKeepsAModelFolderThatLoadsAndPredicts() throws IOException {
        int f = BLOBS.featureShape()[0];
        Path dir = savedModel(new Standardizer(new float[f], filled(f, 1f)));
        Quantize.Result q = Quantize.with("affine", 4).perChannel(true).backend("cpu").apply(dir, tmp.resolve("out"));
        assertEquals(tmp.resolve("out").resolve("affine-int-sym-4bit"), q.modelDir());
        assertTrue(Files.exists(q.modelDir().resolve("model.eqz")), "model.eqz written");
        assertTrue(q.sizeBytes() > 0 && q.testAccuracy() >= 0 && q.testAccuracy() <= 1, q.toString());
        try (EdgeQModel small = EdgeQ.load(q.modelDir(), "cpu")) {
            assertEquals(5, small.predictClasses(rawRows(5)).length);
        }
    }

    @Test
    void quantizeRefusesAnUnknownMethodInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantize.with("fancy", 4).apply(tmp, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith("method: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void quantizeReadsACsvModelsDataWithTheTargetColumnItsTrainingRecorded() throws IOException {
        Path csv = tmp.resolve("points.csv");
        StringBuilder text = new StringBuilder("x1,label,x2\n");
        for (int i = 0; i < 100; i++) text.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append(',').append(100 - i).append('\n');
        Files.writeString(csv, text);
        ModelConfig config = new ModelConfig("dense", new int[]{2}, 2, List.of(4), 0f, false);
        TrainingMetadata meta = new TrainingMetadata("points", csv.toString(), org.edgeq.data.Task.CLASSIFICATION, List.of("even", "odd"),
                null, null, null, 42, Map.of("model", "dense", "target", "label"), Map.of("test_acc", 0.5));
        SplitIndices split = new SplitIndices(IntStream.range(0, 60).toArray(), IntStream.range(60, 80).toArray(), IntStream.range(80, 100).toArray());
        Path dir = tmp.resolve("csv-model");
        try (Backend backend = TestBackends.cpu(1); Model m = ModelFactory.create(config, backend, 7)) {
            Checkpoint.save(dir, m.stateDict(), new ModelDescription(config, meta), split, 100);
        }
        Quantize.Result q = Quantize.with("rounding", 8).backend("cpu").apply(dir, tmp.resolve("out"));
        assertTrue(Files.exists(q.modelDir().resolve("model.eqz")), q.toString());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
