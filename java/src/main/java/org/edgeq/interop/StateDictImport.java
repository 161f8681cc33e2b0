package org.edgeq.interop;

import org.edgeq.checkpoint.SafetensorsReader;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a PyTorch state dict saved as safetensors into EdgeQ's names for one architecture ({@code edgeq import --weights}). */
public final class StateDictImport {
    private StateDictImport() {
    }

    /**
     * The state dict under EdgeQ's names, in EdgeQ's order, and the file's name each tensor came from.
     *
     * @param stateDict host tensors owned by the caller's scope
     * @param sources   EdgeQ name to the file's name
     */
    public record Result(Map<String, Tensor> stateDict, Map<String, String> sources) {
    }

    /** Matches the file's tensors to {@code config}'s ({@link StateDictMatch}) and reads them; refuses before reading any data. */
    public static Result read(Path file, ModelConfig config, String label, List<NameRule> rules, TensorScope scope) throws IOException {
        SafetensorsReader reader = SafetensorsReader.open(file);
        Map<String, String> sources = StateDictMatch.match(file, label, ModelFactory.stateShapes(config), reader.entries(), rules);
        Map<String, Tensor> all = reader.readAll(scope);
        Map<String, Tensor> state = new LinkedHashMap<>();
        sources.forEach((name, source) -> state.put(name, all.get(source)));
        return new Result(state, sources);
    }
}
