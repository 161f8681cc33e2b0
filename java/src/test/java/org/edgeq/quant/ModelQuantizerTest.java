package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.train.Evaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole-model quantization touches exactly the tensors the seed's rules name, in place. */
class ModelQuantizerTest {
    private static final ModelConfig THREE_LAYERS = new ModelConfig("dense", new int[]{6}, 3, List.of(8, 5), 0f, false);
    private static final ModelConfig WITH_BATCH_NORM = new ModelConfig("dense", new int[]{6}, 3, List.of(8), 0f, true);
    private static Backend backend;

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(1);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void landmarkSetsPoolWeightAndBiasOfEachLayer() {
        try (Model m = ModelFactory.create(THREE_LAYERS, backend, 3)) {
            Map<String, float[]> before = snapshot(m);
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 2);
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias"), List.copyOf(q.keySet()));
            assertEquals(ModelQuantizer.touchedParameters(m, QuantMethod.ROUNDING), List.copyOf(q.keySet()));
            for (int layer : new int[]{0, 2, 4}) {
                float[] w = before.get("net." + layer + ".weight");
                float[] b = before.get("net." + layer + ".bias");
                float[] pooled = java.util.Arrays.copyOf(w, w.length + b.length);
                System.arraycopy(b, 0, pooled, w.length, b.length);
                float[] expectedSet = LandmarkSet.uniform(pooled, 2).floats();
                QuantizedTensor.Codebook qw = (QuantizedTensor.Codebook) q.get("net." + layer + ".weight");
                QuantizedTensor.Codebook qb = (QuantizedTensor.Codebook) q.get("net." + layer + ".bias");
                assertArrayEquals(expectedSet, qw.codebook());
                assertArrayEquals(expectedSet, qb.codebook());
                assertArrayEquals(qw.dequantize(), m.stateDict().get("net." + layer + ".weight").toFloatArray());
                assertArrayEquals(qb.dequantize(), m.stateDict().get("net." + layer + ".bias").toFloatArray());
            }
        }
    }

    @Test
    void multiPointSkipsTheFirstParameterTheLastAndEveryBiasSoTheOutputWeightIsQuantized() {
        for (WeightQuantizer mp : new WeightQuantizer[]{new MultiPointQuantizer(7), new MultiPointGridQuantizer(0, 0.01f, 1f)}) {
            try (Model m = ModelFactory.create(THREE_LAYERS, backend, 4)) {
                Map<String, float[]> before = snapshot(m);
                Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, mp, 3);
                List<String> touched = List.of("net.2.weight", "net.4.weight");
                assertEquals(touched, List.copyOf(q.keySet()), mp.method().cliName());
                assertEquals(touched, ModelQuantizer.touchedParameters(m, mp.method()));
                Map<String, float[]> after = snapshot(m);
                for (String name : before.keySet()) {
                    if (touched.contains(name)) assertNotEquals(java.util.Arrays.toString(before.get(name)), java.util.Arrays.toString(after.get(name)), name);
                    else assertArrayEquals(before.get(name), after.get(name), name + " must stay FP32");
                }
                for (String name : touched) assertArrayEquals(q.get(name).dequantize(), after.get(name), name);
            }
        }
    }

    @Test
    void batchNormModulesGetTheirOwnSetAndMultiPointQuantizesTheirGammas() {
        try (Model m = ModelFactory.create(WITH_BATCH_NORM, backend, 8)) {
            List<String> names = m.parameters().stream().map(org.edgeq.nn.Parameter::name).toList();
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.3.weight", "net.3.bias"), names);
            assertEquals(List.of("net.1.weight", "net.3.weight"), ModelQuantizer.touchedParameters(m, QuantMethod.MULTIPOINT));
            assertEquals(names, ModelQuantizer.touchedParameters(m, QuantMethod.MID_RISE));
            assertEquals(List.of("net.0.weight", "net.3.weight"), ModelQuantizer.touchedParameters(m, QuantMethod.AFFINE));
            Map<String, float[]> before = snapshot(m);
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.PRIOR_NORMAL), 3);
            assertEquals(names, List.copyOf(q.keySet()));
            float[] gamma = before.get("net.1.weight");
            float[] beta = before.get("net.1.bias");
            float[] pooled = java.util.Arrays.copyOf(gamma, gamma.length + beta.length);
            System.arraycopy(beta, 0, pooled, gamma.length, beta.length);
            assertArrayEquals(LandmarkSet.priorNormal(pooled, 3).floats(), ((QuantizedTensor.Codebook) q.get("net.1.weight")).codebook());
            assertArrayEquals(LandmarkSet.priorNormal(pooled, 3).floats(), ((QuantizedTensor.Codebook) q.get("net.1.bias")).codebook());
        }
    }

    @Test
    void midRiseQuantizesEveryWeightAndBiasOnItsOwn() {
        try (Model m = ModelFactory.create(THREE_LAYERS, backend, 5)) {
            Map<String, float[]> before = snapshot(m);
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new MidRiseQuantizer(), 4);
            assertEquals(6, q.size());
            for (var e : q.entrySet()) {
                float[] own = new MidRiseQuantizer().quantize(before.get(e.getKey()), e.getValue().shape(), 4).dequantize();
                assertArrayEquals(own, m.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void affineQuantizesWeightsAndLeavesBiasesInFp32() {
        try (Model m = ModelFactory.create(THREE_LAYERS, backend, 6)) {
            Map<String, float[]> before = snapshot(m);
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new AffineQuantizer(true, Granularity.PER_CHANNEL, ObserverKind.MIN_MAX), 4);
            assertEquals(List.of("net.0.weight", "net.2.weight", "net.4.weight"), List.copyOf(q.keySet()));
            assertEquals(8, ((QuantizedTensor.Affine) q.get("net.0.weight")).scales().length);
            assertArrayEquals(before.get("net.2.bias"), m.stateDict().get("net.2.bias").toFloatArray());
        }
    }

    @Test
    void stochasticRoundingUsesDistinctStreamsPerTensorAndIsReproducible() {
        Map<String, QuantizedTensor> a;
        Map<String, QuantizedTensor> b;
        try (Model m = ModelFactory.create(THREE_LAYERS, backend, 7)) {
            a = ModelQuantizer.apply(m, new StochasticRoundingQuantizer(LandmarkSetKind.HISTOGRAM, 42), 3);
        }
        try (Model m = ModelFactory.create(THREE_LAYERS, backend, 7)) {
            b = ModelQuantizer.apply(m, new StochasticRoundingQuantizer(LandmarkSetKind.HISTOGRAM, 42), 3);
        }
        for (String k : a.keySet()) assertArrayEquals(a.get(k).dequantize(), b.get(k).dequantize(), k);
    }

    @Test
    void budgetGivesEveryMultiPointTensorAPointAndSpendsTheRestByMeasuredGain() {
        Dataset data = SyntheticDatasets.blobs(300, 3, 1, 4, 2, 2.0, 8);
        ModelConfig deep = new ModelConfig("dense", new int[]{6}, 3, List.of(12, 10, 8), 0f, false);
        try (Model m = ModelFactory.create(deep, backend, 9); Evaluator calib = new Evaluator(m, data, 64)) {
            Map<String, float[]> before = snapshot(m);
            MultiPointBudget.Allocation a = MultiPointBudget.allocate(m, calib, new MultiPointQuantizer(3), 2, 5, 3);
            assertEquals(5, a.total());
            // parameters: net.0.weight/bias, net.2.*, net.4.*, net.6.*; multi-point takes net.2, net.4 and net.6 weights
            for (int i : new int[]{0, 1, 3, 5, 7}) assertEquals(0, a.points()[i], a.parameters().get(i));
            for (int i : new int[]{2, 4, 6}) assertTrue(a.points()[i] >= 1, a.parameters().get(i));
            assertArrayEquals(MultiPointBudget.spend(a.loss(), 5, 3), a.points());
            Map<String, float[]> after = snapshot(m);
            for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), "measuring must restore " + k);
            assertThrows(IllegalArgumentException.class, () -> MultiPointBudget.allocate(m, calib, new MultiPointQuantizer(), 2, 2, 3));
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, a.quantizers(new MultiPointQuantizer(3)), 2);
            assertEquals(a.pointsOf("net.2.weight"), ((QuantizedTensor.MultiPoint) q.get("net.2.weight")).points());
            assertEquals(List.of("net.2.weight", "net.4.weight", "net.6.weight"), List.copyOf(q.keySet()));
        }
    }

    @Test
    void spendFavoursTheLayerWhoseNextPointHelpsMost() {
        double[][] loss = {{}, {1.0, 0.9, 0.85}, {2.0, 1.0, 0.99}, {}};
        assertArrayEquals(new int[]{0, 1, 2, 0}, MultiPointBudget.spend(loss, 3, 3));
        assertArrayEquals(new int[]{0, 2, 2, 0}, MultiPointBudget.spend(loss, 4, 3));
    }

    static Map<String, float[]> snapshot(Model m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> s.put(k, v.toFloatArray()));
        return s;
    }
}
