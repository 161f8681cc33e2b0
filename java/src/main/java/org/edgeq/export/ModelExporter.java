package org.edgeq.export;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.AtomicFiles;
import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.quant.QuantizedTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a (quantized, pruned) model to a {@link CompressedModelFile} and loads one back into a rebuilt model.
 * Every state tensor is stored exactly as the model holds it; quantizers' affine codes are passed on so that
 * per-channel integer tensors cost a scale and zero point per row instead of a codebook.
 */
public final class ModelExporter {
    private ModelExporter() {
    }

    /** The file's complete content for {@code model}'s current weights. */
    public static byte[] bytes(Model model, Map<String, QuantizedTensor> quantized, Map<String, String> metadata) {
        List<EncodedTensor> tensors = CompressedModelFile.encode(model, affineCodes(quantized));
        return CompressedModelFile.bytes(model.config(), metadata, tensors);
    }

    /** Writes the file atomically; returns its size on disk in bytes. */
    public static long write(Path file, Model model, Map<String, QuantizedTensor> quantized, Map<String, String> metadata) throws IOException {
        byte[] content = bytes(model, quantized, metadata);
        AtomicFiles.write(file, content);
        return content.length;
    }

    /** Rebuilds the model the file describes on {@code backend} and loads its decoded weights. */
    public static Model load(Path file, Backend backend, long seed) throws IOException {
        return load(CompressedModelFile.read(file), backend, seed);
    }

    /** As {@link #load(Path, Backend, long)} for a file already read and validated. */
    public static Model load(CompressedModelFile.Contents contents, Backend backend, long seed) throws IOException {
        Path file = contents.file();
        contents.decodeAll(); // refuses bad data before a model is built
        Model model;
        try {
            model = ModelFactory.create(contents.config(), backend, seed);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "config does not build a model: " + e.getMessage());
        }
        try {
            contents.loadInto(model.stateDict(), backend);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Affine tensors as unsigned codes with shifted zero points (the file's affine form); others are left out. */
    static Map<String, AffineCodes> affineCodes(Map<String, QuantizedTensor> quantized) {
        Map<String, AffineCodes> out = new LinkedHashMap<>();
        if (quantized == null) return out;
        quantized.forEach((name, q) -> {
            if (q instanceof QuantizedTensor.Affine a) {
                int min = a.codeMin();
                int[] codes = new int[a.codes().length];
                for (int i = 0; i < codes.length; i++) codes[i] = a.codes()[i] - min;
                int[] zeros = new int[a.zeroPoints().length];
                for (int g = 0; g < zeros.length; g++) zeros[g] = a.zeroPoints()[g] - min;
                out.put(name, new AffineCodes(a.bits(), a.scales().length, a.scales().clone(), zeros, codes));
            }
        });
        return out;
    }
}
