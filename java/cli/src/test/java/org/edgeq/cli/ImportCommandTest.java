package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.checkpoint.SafetensorsReader;
import org.edgeq.checkpoint.SafetensorsWriter;
import org.edgeq.interop.OnnxGraphs;
import org.edgeq.nn.LayerShape;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.edgeq.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edgeq import}: PyTorch-named safetensors and ONNX graphs become model directories holding bit for bit the
 * weights they were made from; a file that does not fit is refused in one line naming the tensor or op, exit 2,
 * nothing written.
 */
class ImportCommandTest {
    /** synthetic-blobs: 16 features, 3 classes; synthetic-images: [1, 28, 28], 10 classes. */
    private static final ModelConfig DENSE = ModelPresets.denseSimple(16, 3);
    private static final ModelConfig CNN = ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10);

    @TempDir
    Path dir;

    /** Random weights for every tensor of {@code config} (variances positive), by EdgeQ name. */
    static Map<String, float[]> randomState(ModelConfig config, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        ModelFactory.stateShapes(config).forEach((name, shape) -> {
            float[] v = new float[Math.toIntExact(shape.numel())];
            for (int i = 0; i < v.length; i++) v[i] = name.endsWith("running_var") ? 0.5f + r.nextFloat() : (float) r.nextGaussian() * 0.1f;
            out.put(name, v);
        });
        return out;
    }

    /**
     * Writes {@code state} as PyTorch would save it: each EdgeQ module renamed by {@code torchModule} (the k-th module
     * with tensors, counted from 0), BatchNorm counters added as I64, names in the alphabetical order safetensors sorts them.
     */
    static Path writeTorch(Path file, ModelConfig config, Map<String, float[]> state, Function<Integer, String> torchModule) throws Exception {
        Map<String, Shape> shapes = ModelFactory.stateShapes(config);
        Map<String, String> modules = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            String module = name.substring(0, name.lastIndexOf('.'));
            modules.computeIfAbsent(module, m -> torchModule.apply(modules.size()));
        }
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> tensors = new TreeMap<>();
            for (var e : shapes.entrySet()) {
                String module = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
                String torch = modules.get(module) + e.getKey().substring(module.length());
                tensors.put(torch, Tensor.of(scope, state.get(e.getKey()), e.getValue().dims()));
                if (torch.endsWith(".running_var")) tensors.put(modules.get(module) + ".num_batches_tracked", Tensor.host(scope, DType.I64));
            }
            SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        }
        return file;
    }

    /** The graph torch.onnx.export writes for {@code config} in eval mode (no dropout), weights from {@code state}. */
    static Path writeOnnx(Path file, ModelConfig config, Map<String, float[]> state, boolean matMul) throws Exception {
        return onnxGraph(config, state, matMul).write(file);
    }

    /** {@link #writeOnnx}'s graph before it is written, for a test to add nodes at its end. */
    static OnnxGraphs onnxGraph(ModelConfig config, Map<String, float[]> state, boolean matMul) {
        OnnxGraphs g = new OnnxGraphs(config.inputShape());
        Deque<String[]> residuals = new ArrayDeque<>(); // {path, skip tensor}
        for (LayerShape row : ModelFactory.layerShapes(config)) {
            while (!residuals.isEmpty() && !row.path().startsWith(residuals.peek()[0] + ".")) g.addResidual(residuals.pop()[1]);
            String p = row.path();
            switch (row.type()) {
                case "Linear" -> {
                    if (matMul) g.matMulAdd(p, state.get(p + ".weight"), row.weight(), state.get(p + ".bias"));
                    else g.gemm(p, state.get(p + ".weight"), row.weight(), state.get(p + ".bias"));
                }
                case "Conv2d" -> g.conv(p, state.get(p + ".weight"), row.weight(), state.get(p + ".bias"));
                case "BatchNorm1d", "BatchNorm2d" -> g.batchNorm(p, state.get(p + ".weight"), state.get(p + ".bias"),
                        state.get(p + ".running_mean"), state.get(p + ".running_var"));
                case "ReLU" -> g.relu();
                case "MaxPool2d" -> g.maxPool(row.inputShape().dim(1) / row.outputShape().dim(1));
                case "Flatten" -> g.flatten();
                case "Residual" -> residuals.push(new String[] {p, g.current()});
                case "Dropout" -> { }
                default -> throw new IllegalStateException(row.type());
            }
        }
        while (!residuals.isEmpty()) g.addResidual(residuals.pop()[1]);
        return g;
    }

    /** Every tensor of the imported directory equals the original bit for bit, under EdgeQ's names. */
    private static void assertBitIdentical(Map<String, float[]> original, Path modelDir) throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> saved = SafetensorsReader.open(modelDir.resolve("model.safetensors")).readAll(scope);
            assertEquals(original.keySet(), saved.keySet());
            for (var e : original.entrySet()) {
                float[] got = saved.get(e.getKey()).toFloatArray();
                int[] want = new int[e.getValue().length];
                int[] have = new int[got.length];
                for (int i = 0; i < want.length; i++) want[i] = Float.floatToRawIntBits(e.getValue()[i]);
                for (int i = 0; i < have.length; i++) have[i] = Float.floatToRawIntBits(got[i]);
                assertArrayEquals(want, have, e.getKey());
            }
        }
    }

    private void assertRefusedAndNothingWritten(CliTest.Run r, Path out, String... mentions) throws Exception {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        for (String m : mentions) assertTrue(r.err().contains(m), r.err());
        assertFalse(Files.exists(out), "nothing written");
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".edgeq-")), "no staging folder left");
        }
    }

    @Test
    void pytorchSequentialNamesWithSkippedIndicesImportBitIdentical() throws Exception {
        Map<String, float[]> state = randomState(DENSE, 1);
        // nn.Sequential(Linear(16, 10), ReLU(), Dropout(0.2), Linear(10, 3)): modules 0 and 3.
        Path file = writeTorch(dir.resolve("mlp.safetensors"), DENSE, state, k -> Integer.toString(3 * k));
        Path out = dir.resolve("imported");
        CliTest.Run r = run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.err().contains("net.2.weight") && r.err().contains("<- 3.weight [3, 10]"), r.err());
        assertBitIdentical(state, out);
        assertEquals(ExitCodes.OK, run("info", "--model", out.toString()).code());
    }

    @Test
    void cnnWithNamedPartsAndBatchNormCountersImportsBitIdentical() throws Exception {
        Map<String, float[]> state = randomState(CNN, 2);
        // model.features = Sequential(conv, bn, relu, pool, conv, bn, relu, pool); model.classifier = Sequential(flatten, linear, relu, dropout, linear)
        String[] torch = {"model.features.0", "model.features.1", "model.features.4", "model.features.5", "model.classifier.1", "model.classifier.4"};
        Path file = writeTorch(dir.resolve("cnn.safetensors"), CNN, state, k -> torch[k]);
        Path out = dir.resolve("cnn");
        CliTest.Run r = run("import", "--weights", file.toString(), "--arch", "cnn-small", "--dataset", "synthetic-images", "--scaling", "none",
                "--out", out.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode json = r.lastJson();
        assertEquals("cnn-small", json.get("architecture").asText());
        assertEquals(state.size(), json.get("tensors").asInt());
        assertBitIdentical(state, out);
    }

    @Test
    void mapRulesNameTheTensorsOfACustomModule() throws Exception {
        Map<String, float[]> state = randomState(DENSE, 3);
        String[] torch = {"fc1", "fc2"};
        Path file = writeTorch(dir.resolve("custom.safetensors"), DENSE, state, k -> torch[k]);
        Path out = dir.resolve("custom");
        CliTest.Run r = run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs", "--out", out.toString(),
                "--map", "net.0.weight=fc1.weight,net.0.bias=fc1.bias", "--map", "net.2.{p}=fc2.{p}");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertBitIdentical(state, out);
    }

    @Test
    void aMisshapedTensorIsNamedWithBothShapesAndNothingIsWritten() throws Exception {
        Map<String, float[]> state = randomState(ModelPresets.denseSimple(15, 3), 4); // one feature short
        Path file = writeTorch(dir.resolve("short.safetensors"), ModelPresets.denseSimple(15, 3), state, k -> Integer.toString(2 * k));
        Path out = dir.resolve("never");
        assertRefusedAndNothingWritten(run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs",
                "--out", out.toString()), out, "tensor '0.weight' is F32[10, 15] but dense-simple expects F32[10, 16] there (its net.0.weight)");
    }

    @Test
    void aMissingTensorIsNamedAndNothingIsWritten() throws Exception {
        ModelConfig firstLayerOnly = new ModelConfig("dense", new int[] {16}, 10, List.of(), 0f, false);
        Path file = writeTorch(dir.resolve("mlp.safetensors"), firstLayerOnly, randomState(firstLayerOnly, 5), k -> Integer.toString(2 * k));
        Path out = dir.resolve("never");
        assertRefusedAndNothingWritten(run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs",
                "--out", out.toString()), out, "nothing in the file for net.2 (weight, bias, F32[3, 10] first)");
        assertRefusedAndNothingWritten(run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs",
                "--out", out.toString(), "--map", "net.0.weight=fc1.weight"), out, "dense-simple has tensor 'net.0.weight' (F32[10, 16]) which the file lacks");
    }

    @Test
    void onnxGemmAndMatMulAddGraphsImportBitIdentical() throws Exception {
        Map<String, float[]> state = randomState(DENSE, 6);
        for (boolean matMul : new boolean[] {false, true}) {
            Path out = dir.resolve("onnx-" + matMul);
            CliTest.Run r = run("import", "--onnx", writeOnnx(dir.resolve("mlp-" + matMul + ".onnx"), DENSE, state, matMul).toString(),
                    "--dataset", "synthetic-blobs", "--out", out.toString());
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertTrue(r.out().contains("as dense [10]"), r.out());
            assertBitIdentical(state, out);
        }
    }

    @Test
    void onnxCnnImportsBitIdenticalAsCnnSmall() throws Exception {
        Map<String, float[]> state = randomState(CNN, 7);
        Path out = dir.resolve("onnx-cnn");
        CliTest.Run r = run("import", "--onnx", writeOnnx(dir.resolve("cnn.onnx"), CNN, state, false).toString(),
                "--dataset", "synthetic-images", "--scaling", "none", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("as cnn-small"), r.out());
        assertBitIdentical(state, out);
    }

    @Test
    void onnxResidualAddsImportBitIdenticalAsResNet9() throws Exception {
        ModelConfig resnet = ModelPresets.resnet9(new int[] {1, 28, 28}, 10);
        Map<String, float[]> state = randomState(resnet, 8);
        Path out = dir.resolve("onnx-resnet");
        CliTest.Run r = run("import", "--onnx", writeOnnx(dir.resolve("resnet9.onnx"), resnet, state, false).toString(),
                "--dataset", "synthetic-images", "--scaling", "none", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("as resnet9"), r.out());
        assertBitIdentical(state, out);
    }

    @Test
    void anOnnxRegressionGraphEndingInItsTargetScaleImportsWithoutIt() throws Exception {
        ModelConfig regression = ModelPresets.denseSimple(8, 1); // synthetic-regression: 8 features, 1 target
        Map<String, float[]> state = randomState(regression, 10);
        // y * std + mean after the last Linear, as a PyTorch module that undoes its target scaling exports it: a scalar
        // and a [1] constant.
        OnnxGraphs g = onnxGraph(regression, state, false);
        g.node("Mul", List.of(g.current(), g.initializer("std", new float[] {2.5f})));
        Path file = g.node("Add", List.of(g.current(), g.initializer("mean", new float[] {0.3f}, 1))).write(dir.resolve("reg.onnx"));
        Path out = dir.resolve("onnx-regression");
        assertRefusedAndNothingWritten(run("import", "--onnx", file.toString(), "--dataset", "synthetic-blobs", "--out", out.toString()),
                out, "ends by scaling a regression prediction (Mul, then Add", "--dataset synthetic-blobs is classification");
        assertRefusedAndNothingWritten(run("import", "--onnx", file.toString(), "--dataset", "synthetic-regression", "--scaling", "none",
                "--out", out.toString()), out, "ends by scaling its prediction itself", "--scaling edgeq");
        CliTest.Run r = run("import", "--onnx", file.toString(), "--dataset", "synthetic-regression", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("as dense [10]"), r.out());
        assertBitIdentical(state, out);

        // Only that exact tail: a Mul by a constant of two values is an op EdgeQ does not have.
        OnnxGraphs wide = onnxGraph(regression, state, false);
        wide.node("Mul", List.of(wide.current(), wide.initializer("std", new float[] {2.5f, 2.5f}, 2)));
        Path wideFile = wide.node("Add", List.of(wide.current(), wide.initializer("mean", new float[] {0.3f}))).write(dir.resolve("wide.onnx"));
        Path never = dir.resolve("never");
        assertRefusedAndNothingWritten(run("import", "--onnx", wideFile.toString(), "--dataset", "synthetic-regression", "--out", never.toString()),
                never, "(Mul): op 'Mul' is not one EdgeQ has");
    }

    @Test
    void anUnsupportedOnnxOpIsNamedAndNothingIsWritten() throws Exception {
        OnnxGraphs g = new OnnxGraphs(16);
        g.gemm("fc", new float[16 * 4], Shape.of(4, 16), new float[4]);
        g.node("LSTM", List.of(g.current(), g.initializer("W", new float[4], 1, 4, 1)));
        Path file = g.write(dir.resolve("lstm.onnx"));
        Path out = dir.resolve("never");
        assertRefusedAndNothingWritten(run("import", "--onnx", file.toString(), "--dataset", "synthetic-blobs", "--out", out.toString()),
                out, "op 'LSTM' is not one EdgeQ has");
    }

    @Test
    void anOnnxGraphOfAnotherArchitectureIsRefusedAtItsFirstDifferentStep() throws Exception {
        Map<String, float[]> state = randomState(CNN, 9);
        Path file = writeOnnx(dir.resolve("cnn.onnx"), CNN, state, false);
        Path out = dir.resolve("never");
        assertRefusedAndNothingWritten(run("import", "--onnx", file.toString(), "--arch", "cnn-seed", "--dataset", "synthetic-images",
                "--out", out.toString()), out, "step 1 of the graph is Conv2d weight[16, 1, 3, 3]");
    }

    @Test
    void anImportedModelEvaluatesAsTheOriginal() throws Exception {
        Path trained = dir.resolve("trained");
        assertEquals(ExitCodes.OK, run("train", "--dataset", "synthetic-blobs", "--model", "dense-simple", "--epochs", "2", "--warm-up", "0",
                "--out", trained.toString()).code());
        Map<String, float[]> state = new LinkedHashMap<>();
        try (TensorScope scope = new TensorScope()) {
            SafetensorsReader.open(trained.resolve("model.safetensors")).readAll(scope).forEach((k, v) -> state.put(k, v.toFloatArray()));
        }
        Path file = writeTorch(dir.resolve("torch.safetensors"), DENSE, state, k -> Integer.toString(2 * k));
        Path imported = dir.resolve("imported");
        assertEquals(ExitCodes.OK, run("import", "--weights", file.toString(), "--arch", "dense-simple", "--dataset", "synthetic-blobs",
                "--out", imported.toString()).code());
        JsonNode before = run("eval", "--model", trained.toString(), "--json").lastJson();
        JsonNode after = run("eval", "--model", imported.toString(), "--json").lastJson();
        assertEquals(before.get("test_acc").asDouble(), after.get("test_acc").asDouble());
        assertEquals(before.get("test_loss").asDouble(), after.get("test_loss").asDouble());
    }

    @Test
    void aModelExportedByEdgeqToOnnxImportsBackBitIdenticalAndEvaluatesAsTheOriginal() throws Exception {
        Path trained = dir.resolve("trained");
        assertEquals(ExitCodes.OK, run("train", "--dataset", "synthetic-blobs", "--model", "dense-simple", "--epochs", "2", "--warm-up", "0",
                "--out", trained.toString()).code());
        Path onnx = dir.resolve("exported.onnx");
        assertEquals(ExitCodes.OK, run("export", "--model", trained.toString(), "--format", "onnx", "--out", onnx.toString()).code());
        Map<String, float[]> state = new LinkedHashMap<>();
        try (TensorScope scope = new TensorScope()) {
            SafetensorsReader.open(trained.resolve("model.safetensors")).readAll(scope).forEach((k, v) -> state.put(k, v.toFloatArray()));
        }
        Path out = dir.resolve("reimported");
        assertRefusedAndNothingWritten(run("import", "--onnx", onnx.toString(), "--dataset", "synthetic-blobs", "--scaling", "none",
                "--out", out.toString()), out, "standardises its input", "--scaling edgeq");
        CliTest.Run r = run("import", "--onnx", onnx.toString(), "--dataset", "synthetic-blobs", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertBitIdentical(state, out);
        JsonNode before = run("eval", "--model", trained.toString(), "--json").lastJson();
        JsonNode after = run("eval", "--model", out.toString(), "--json").lastJson();
        assertEquals(before.get("test_acc").asDouble(), after.get("test_acc").asDouble());
        assertEquals(before.get("test_loss").asDouble(), after.get("test_loss").asDouble());
    }

    @Test
    void aRegressionModelExportedByEdgeqToOnnxImportsBackBitIdenticalAndEvaluatesAsTheOriginal() throws Exception {
        Path trained = dir.resolve("trained-regression");
        assertEquals(ExitCodes.OK, run("train", "--dataset", "synthetic-regression", "--model", "dense", "--epochs", "2", "--warm-up", "0",
                "--out", trained.toString()).code());
        Path onnx = dir.resolve("exported-regression.onnx");
        assertEquals(ExitCodes.OK, run("export", "--model", trained.toString(), "--format", "onnx", "--out", onnx.toString()).code());
        Map<String, float[]> state = new LinkedHashMap<>();
        try (TensorScope scope = new TensorScope()) {
            SafetensorsReader.open(trained.resolve("model.safetensors")).readAll(scope).forEach((k, v) -> state.put(k, v.toFloatArray()));
        }
        Path out = dir.resolve("reimported-regression");
        CliTest.Run r = run("import", "--onnx", onnx.toString(), "--dataset", "synthetic-regression", "--out", out.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("dense [64, 32]", r.lastJson().get("architecture").asText());
        assertBitIdentical(state, out);
        JsonNode before = run("eval", "--model", trained.toString(), "--json").lastJson();
        JsonNode after = run("eval", "--model", out.toString(), "--json").lastJson();
        for (String metric : new String[] {"test_loss", "test_mse", "r2"}) {
            assertEquals(before.get(metric).asDouble(), after.get(metric).asDouble(), metric);
        }
    }
}
