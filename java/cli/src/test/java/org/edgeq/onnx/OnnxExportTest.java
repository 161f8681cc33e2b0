package org.edgeq.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import ai.onnx.proto.OnnxMl;
import org.edgeq.api.EdgeQ;
import org.edgeq.api.EdgeQModel;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.cli.ExitCodes;
import org.edgeq.data.Dataset;
import org.edgeq.data.SyntheticDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture EdgeQ trains, exported with {@code edgeq export --format onnx} and run in ONNX Runtime: FP32
 * exports reproduce EdgeQ's outputs to 1e-5 relative (a regression model's in the target's own units, as
 * {@link EdgeQModel#predict} gives them), a W8A8 QAT export (QDQ) its arg-max on at least 99.9% of rows and its
 * accuracy to 0.1 point.
 */
class OnnxExportTest {
    @TempDir
    static Path dir;

    static final Dataset BLOBS = SyntheticDatasets.blobs();
    static final Dataset IMAGES = SyntheticDatasets.images();
    static final Dataset REGRESSION = SyntheticDatasets.regression();

    static Path train(String name, String dataset, String model, String... more) {
        return CliRuns.train(dir.resolve(name), dataset, model, more);
    }

    static Dataset first(Dataset d, int n) {
        return d.subset(IntStream.range(0, n).toArray());
    }

    /** Exports {@code model} through the CLI and compares ONNX Runtime with EdgeQ on {@code rows}. */
    static RuntimeComparison exportAndCompare(Path model, Dataset rows) throws Exception {
        Path onnx = dir.resolve(model.getFileName() + ".onnx");
        CliRuns.Run r = CliRuns.edgeq("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        byte[] bytes = Files.readAllBytes(onnx);
        try (CpuBackend backend = new CpuBackend(1); ExportableModel m = ExportableModel.open(model, backend)) {
            RuntimeComparison c = RuntimeComparison.of(m, bytes, rows);
            System.out.println(RuntimeComparison.header());
            System.out.println(c.row(model.getFileName().toString()));
            return c;
        }
    }

    static void assertFp32Match(RuntimeComparison c) {
        assertTrue(c.maxRelDiff() <= 1e-5, "max relative difference " + c.maxRelDiff());
        assertEquals(1.0, c.argmaxAgree(), 1e-12);
    }

    @Test
    void denseFp32MatchesOnnxRuntime() throws Exception {
        assertFp32Match(exportAndCompare(train("dense", "synthetic-blobs", "dense"), first(BLOBS, 500)));
    }

    @Test
    void denseRegressionOutputsThePredictionInTheTargetsUnits() throws Exception {
        Path model = train("dense-regression", "synthetic-regression", "dense");
        Dataset rows = first(REGRESSION, 500);
        TrainingMetadata.TargetScale scale = Checkpoint.readDescription(model).training().targetScale();
        // A scale near the identity would let a graph without the de-standardisation pass.
        assertTrue(Math.abs(scale.std() - 1) > 0.2 && Math.abs(scale.mean()) > 0.1, "target scale " + scale);
        assertFp32Match(exportAndCompare(model, rows)); // EdgeQ's forward, then y * std + mean as model.json says

        // The same rows through the library API, which undoes the target scaling itself.
        float[] flat = rows.copyFeatures();
        int f = rows.featureCount();
        float[][] raw = new float[rows.size()][];
        for (int r = 0; r < raw.length; r++) raw[r] = Arrays.copyOfRange(flat, r * f, (r + 1) * f);
        float[][] predicted;
        try (EdgeQModel m = EdgeQ.load(model, "cpu")) {
            predicted = m.predict(raw);
        }
        byte[] onnx = Files.readAllBytes(dir.resolve("dense-regression.onnx"));
        RuntimeComparison api = RuntimeComparison.of(predicted, RuntimeComparison.run(onnx, rows), rows);
        System.out.println(api.row("dense-regression vs predict"));
        assertTrue(api.maxRelDiff() <= 1e-5, "max relative difference to EdgeQModel.predict " + api.maxRelDiff());

        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(onnx);
        var nodes = proto.getGraph().getNodeList();
        assertEquals(List.of("Mul", "Add", "Identity"), nodes.subList(nodes.size() - 3, nodes.size()).stream()
                .map(OnnxMl.NodeProto::getOpType).toList(), "the graph ends by undoing the target's standardisation");
        assertTrue(nodes.get(nodes.size() - 3).getInput(1).equals("destandardise_target.std")
                && nodes.get(nodes.size() - 2).getInput(1).equals("destandardise_target.mean"), nodes.toString());
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("edgeq.target_scale")
                && p.getValue().startsWith("applied in the graph: output = network * ")), proto.getMetadataPropsList().toString());
    }

    @Test
    void cnnSmallFp32MatchesOnnxRuntime() throws Exception {
        assertFp32Match(exportAndCompare(train("cnn-small", "synthetic-images", "cnn-small", "--limit", "200"), first(IMAGES, 200)));
    }

    @Test
    void cnnSeedFp32MatchesOnnxRuntime() throws Exception {
        assertFp32Match(exportAndCompare(train("cnn-seed", "synthetic-images", "cnn-seed", "--limit", "100"), first(IMAGES, 100)));
    }

    @Test
    void resnet9Fp32MatchesOnnxRuntime() throws Exception {
        assertFp32Match(exportAndCompare(train("resnet9", "synthetic-images", "resnet9", "--limit", "64"), first(IMAGES, 64)));
    }

    @Test
    void qatW8A8ExportsAsQdqAndMatchesOnnxRuntime() throws Exception {
        Path base = train("cnn-small-base", "synthetic-images", "cnn-small", "--limit", "200");
        Path rows = dir.resolve("cnn-small-qat");
        CliRuns.Run q = CliRuns.edgeq("qat", "--model", base.toString(), "--bits", "8", "--act-bits", "8", "--epochs", "1", "--backend", "cpu",
                "--out", rows.toString());
        assertEquals(ExitCodes.OK, q.code(), q.err());
        Path w8a8 = rows.resolve("qat-w8a8");
        RuntimeComparison c = exportAndCompare(w8a8, first(IMAGES, 1000));
        assertTrue(c.argmaxAgree() >= 0.999, "arg-max agreement " + c.argmaxAgree());
        assertEquals(c.edgeqAccuracy(), c.ortAccuracy(), 0.001);

        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("qat-w8a8.onnx")));
        long quantize = proto.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        long dequantize = proto.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("DequantizeLinear")).count();
        long weightLayers = proto.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")).count();
        assertEquals(weightLayers, quantize, "one QuantizeLinear per weight layer's input");
        assertEquals(2 * weightLayers, dequantize, "a DequantizeLinear per weight and per input");
        assertTrue(proto.getGraph().getInitializerList().stream().anyMatch(t -> t.getDataType() == OnnxMl.TensorProto.DataType.INT8_VALUE
                && t.getName().endsWith(".weight.quantized")), "int8 weights");
    }

    @Test
    void qatW4A4ExportsFakeQuantizedActivationsAsFloatOpsAndMatchesOnnxRuntime() throws Exception {
        Path base = train("dense-base", "synthetic-blobs", "dense");
        Path rows = dir.resolve("dense-qat");
        CliRuns.Run q = CliRuns.edgeq("qat", "--model", base.toString(), "--bits", "4", "--act-bits", "4", "--lsq", "--epochs", "1",
                "--backend", "cpu", "--out", rows.toString());
        assertEquals(ExitCodes.OK, q.code(), q.err());
        Path w4a4 = rows.resolve("qat-w4a4-lsq");
        RuntimeComparison c = exportAndCompare(w4a4, first(BLOBS, 2000));
        assertTrue(c.argmaxAgree() >= 0.999, "arg-max agreement " + c.argmaxAgree());
        assertEquals(c.edgeqAccuracy(), c.ortAccuracy(), 0.001);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("qat-w4a4-lsq.onnx")));
        assertTrue(proto.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Round")), "4-bit symmetric inputs as Round/Clip");
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("edgeq.quant.net.0.weight")
                && p.getValue().contains("4-bit")), "4-bit weights described in the metadata");
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("nothing.onnx");
        CliRuns.Run missing = CliRuns.edgeq("export", "--model", dir.resolve("no-such-model").toString(), "--format", "onnx", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing.err());
        assertTrue(missing.err().contains("no-such-model"), missing.err());
        CliRuns.Run format = CliRuns.edgeq("export", "--model", dir.toString(), "--format", "tflite", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, format.code());
        assertTrue(format.err().contains("onnx, safetensors, safetensors-packed"), format.err());
        Path notAModel = Files.createDirectories(dir.resolve("empty-dir"));
        CliRuns.Run empty = CliRuns.edgeq("export", "--model", notAModel.toString(), "--format", "safetensors", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, empty.code(), empty.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpTeachesFormatsAndExamples() {
        CliRuns.Run r = CliRuns.edgeq("export", "--help");
        assertEquals(ExitCodes.OK, r.code());
        for (String s : new String[] {"onnx", "safetensors-packed", "QDQ", "DequantizeLinear", "docs/interop.md", "edgeq export --model"}) {
            assertTrue(r.out().contains(s), "help mentions " + s + ":\n" + r.out());
        }
    }
}
