package org.edgeq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.backend.Backend;
import org.edgeq.prune.SeedMagnitudePruner;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.fake.SeedQatRule;
import org.edgeq.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EdgeQ's presets are the seed's architectures (model/dnn.py, model/cnn.py): the same state-dict entries, names and
 * shapes, in PyTorch's order, as torch 1.13 builds them (golden/seed/architectures.json, written by
 * java/src/test/python/seed_golden_architectures.py). The seed's per-tensor rules depend on exactly this order, so
 * the same fixture lists, per architecture, the tensors each rule touches when applied to torch's own order:
 * multi-point (skip parameter 0, the last and every bias), pruning (every state-dict entry but the last; EdgeQ
 * changes its parameters) and QAT (every {@code *.weight}); EdgeQ's selections must be those lists.
 */
class SeedArchitecturesTest {
    private static Backend backend;

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(1);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = SeedArchitecturesTest.class.getResourceAsStream("/golden/seed/architectures.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static ModelConfig config(JsonNode edgeq) {
        int[] input = new ObjectMapper().convertValue(edgeq.get("input"), int[].class);
        int outputs = edgeq.get("outputs").asInt();
        return switch (edgeq.get("model").asText()) {
            case "dense-simple" -> ModelPresets.denseSimple(input[0], outputs);
            case "dense-complex" -> ModelPresets.denseComplex(input[0], outputs);
            case "cnn-seed" -> ModelPresets.cnnSeed(input, outputs);
            case "dense" -> new ModelConfig("dense", input, outputs,
                    Arrays.asList(new ObjectMapper().convertValue(edgeq.get("hidden"), Integer[].class)),
                    (float) edgeq.get("dropout").asDouble(), false);
            default -> throw new IllegalArgumentException("no preset for " + edgeq);
        };
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    @Test
    void everySeedArchitectureHasTheSeedsStateDictEntriesInTheSeedsOrderAndTheSeedsRulesPickTheSameTensors() throws IOException {
        JsonNode models = golden().get("models");
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) models::fields) {
            JsonNode g = e.getValue();
            List<String> expected = new ArrayList<>();
            for (JsonNode entry : g.get("entries")) expected.add(entry.get("name").asText() + " " + entry.get("shape"));
            try (Model m = ModelFactory.create(config(g.get("edgeq")), backend, 1)) {
                List<String> actual = new ArrayList<>();
                for (Map.Entry<String, Tensor> s : m.stateDict().entrySet()) {
                    actual.add(s.getKey() + " " + Arrays.toString(s.getValue().shape().dims()).replace(" ", ""));
                }
                assertEquals(expected, actual, e.getKey());
                assertEquals(g.get("parameters").asLong(), m.parameterCount(), e.getKey() + ": parameters");
                assertEquals(names(g.get("multipoint")), ModelQuantizer.touchedParameters(m, QuantMethod.MULTIPOINT),
                        e.getKey() + ": the tensors the seed's multi-point quantizes");
                assertEquals(names(g.get("seed_pruning")), new SeedMagnitudePruner().select(m, 0.0).stream()
                        .map(mask -> mask.parameter().name()).toList(), e.getKey() + ": the tensors the seed's prune_model prunes");
                assertEquals(names(g.get("seed_qat")), SeedQatRule.quantizedParameters(m, new MidRiseQuantizer()),
                        e.getKey() + ": the tensors the seed's QAT quantizes");
            }
            checked++;
        }
        assertEquals(4, checked);
    }
}
