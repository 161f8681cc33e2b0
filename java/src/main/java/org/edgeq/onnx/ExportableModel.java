package org.edgeq.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.EncodedTensor;
import org.edgeq.export.ModelExporter;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.quant.fake.ActivationRanges;

/**
 * A model directory loaded for export: an FP32 model ({@code edgeq train --out}: model.safetensors) or a compressed
 * one ({@code edgeq quantize/qat/prune --out}: model.eqz) with its weights' integer codes and frozen activation
 * quantizers, the model rebuilt with the weights it computes with. Closing it frees the model.
 *
 * @param codes       integer codes of the quantized weights by state-dict name (empty for FP32 and f32 tensors)
 * @param activations each weight layer's input quantizer by layer path (empty when activations are not quantized)
 */
public record ExportableModel(Path dir, ModelDescription description, Model model, Map<String, StoredCodes> codes,
                              Map<String, ActivationRanges.Range> activations) implements AutoCloseable {

    /** Reads and validates {@code dir} completely, then builds the model on {@code backend}. */
    public static ExportableModel open(Path dir, Backend backend) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such model directory");
        Path eqz = dir.resolve(CompressedModelFile.FILE_NAME);
        if (!Files.exists(dir.resolve(Checkpoint.WEIGHTS)) && Files.exists(eqz)) {
            CompressedModelFile.Contents contents = CompressedModelFile.read(eqz);
            Map<String, StoredCodes> codes = new LinkedHashMap<>();
            for (EncodedTensor t : contents.tensors()) {
                StoredCodes c = StoredCodes.of(t);
                if (c != null) codes.put(t.name(), c);
            }
            String json = contents.metadata().get("activations");
            Map<String, ActivationRanges.Range> activations = json == null ? Map.of() : ActivationRanges.fromJson(json);
            ModelDescription description = Checkpoint.readDescription(dir);
            Model model = ModelExporter.load(contents, backend, 0);
            return new ExportableModel(dir, description, model, Map.copyOf(codes), activations);
        }
        SavedModel saved = Checkpoint.read(dir);
        Model model = ModelFactory.create(saved.description().config(), backend, 0);
        try {
            saved.loadInto(model.stateDict(), backend);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new ExportableModel(dir, saved.description(), model, Map.of(), Map.of());
    }

    /**
     * The ONNX exporter for this model, its input standardisation and the undoing of a regression target's scaling
     * inside the graph, its training record as metadata.
     */
    public OnnxExporter onnx() {
        var meta = description.training();
        OnnxExporter e = new OnnxExporter(model, meta == null ? null : meta.preprocessing(), codes, activations)
                .withMetadata("edgeq.architecture", model.config().architecture());
        if (meta != null) {
            e.withMetadata("edgeq.task", String.valueOf(meta.task()));
            if (!meta.classNames().isEmpty()) e.withMetadata("edgeq.class_names", String.join(",", meta.classNames()));
        }
        return e;
    }

    @Override
    public void close() {
        model.close();
    }
}
