package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.Loss;
import org.edgeq.quant.LandmarkSet;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.StochasticRoundingQuantizer;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.junit.jupiter.api.Test;

/**
 * The seed's QAT (qat.py): full-precision shadows train, forward and backward run on weights quantized each with a
 * set of their own, biases stay full precision, gradients are scaled by the slope, and the export is quantized by
 * the same rule. SeedQatGoldenTest holds the steps to torch's numbers; these pin the rules one by one.
 */
class SeedQatHookTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(900, 3, 1, 4, 2, 2.0, 5);
    private static final ModelConfig DENSE = new ModelConfig("dense", new int[] {3}, 2, List.of(4), 0f, false);

    @Test
    void forwardSeesQuantizedWeightsTheOptimizerUpdatesFullPrecisionOnesAndExportIsQuantized() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        ModelConfig mc = new ModelConfig("dense", new int[] {6}, 3, List.of(16), 0f, false);
        RoundingQuantizer rounding = new RoundingQuantizer(LandmarkSetKind.UNIFORM);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(mc, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, rounding, 4)) {
            Parameter w = m.weightLayers().getFirst().weight();
            int[] mostDistinctAtForward = {0};
            boolean[] fullPrecisionAtStep = {true};
            TrainingHook probe = new TrainingHook() {
                @Override
                public void beforeForward(Tensor x, int epoch, long step) {
                    mostDistinctAtForward[0] = Math.max(mostDistinctAtForward[0], distinct(w));
                }

                @Override
                public void beforeOptimizerStep(long step) {
                    if (distinct(w) <= 16) fullPrecisionAtStep[0] = false;
                }
            };
            new Trainer(TrainingConfig.seedDefaults(4).withEpochs(3)).withHook(qat).withHook(probe)
                    .train(m, BLOBS, split.train(), split.validation(), null);
            assertTrue(mostDistinctAtForward[0] <= 16, "forward runs on 4-bit weights (at most 16 values per layer)");
            assertTrue(fullPrecisionAtStep[0], "the optimizer sees full-precision weights");
            Map<String, QuantizedTensor> exported = qat.exportQuantized();
            assertEquals(qat.touchedParameters(), List.copyOf(exported.keySet()));
            assertTrue(distinct(w) <= 16, "exported weights are quantized");
            double acc = Evaluator.evaluate(m, BLOBS, split.test(), 64).accuracy();
            assertTrue(acc > 0.85, "seed QAT with 4-bit rounding learns the blobs: " + acc);
            assertArrayEquals(exported.get(w.name()).dequantize(), w.value().toFloatArray());
        }
    }

    @Test
    void eachWeightRoundsToASetBuiltFromItselfAloneAndBiasesStayFullPrecision() {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(DENSE, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 2)) {
            Parameter b0 = m.parameters().get(1);
            backend.upload(new float[] {40f, -30f, 0.5f, 2f}, b0.value()); // pooled with these, the set would span [-30, 40]
            Map<String, float[]> fp = values(m);
            assertEquals(List.of("net.0.weight", "net.2.weight"), qat.touchedParameters());
            qat.beforeForward(null, 0, 1);
            for (Parameter p : m.parameters()) {
                float[] before = fp.get(p.name());
                if (p.name().endsWith(".bias")) {
                    assertArrayEquals(before, p.value().toFloatArray(), p.name() + " stays full precision");
                    continue;
                }
                LandmarkSet own = LandmarkSetKind.UNIFORM.build(before, 2);
                float[] expected = new RoundingQuantizer(LandmarkSetKind.UNIFORM).quantize(before, p.value().shape().dims(), own, 0).dequantize();
                assertArrayEquals(expected, p.value().toFloatArray(), p.name() + " rounded to the set of its own values");
            }
            qat.beforeOptimizerStep(1);
            values(m).forEach((n, v) -> assertArrayEquals(fp.get(n), v, n + " back to full precision for the update"));
        }
    }

    @Test
    void gradientsAreMultipliedInFloat32ByEachWeightsSlopeAndBiasGradientsAreLeftAlone() {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(DENSE, backend, 4); TensorScope scope = new TensorScope();
             SeedQatHook qat = new SeedQatHook(m, new RoundingQuantizer(LandmarkSetKind.HISTOGRAM), 2)) {
            Tensor x = backend.allocate(scope, DType.F32, 4, 3);
            backend.upload(new float[] {0.3f, -1f, 2f, 1f, 0.5f, -0.2f, -1.5f, 0.7f, 0.1f, 0.9f, 0.9f, -0.4f}, x);
            Tensor y = backend.allocate(scope, DType.I32, 4);
            backend.upload(new int[] {0, 1, 1, 0}, y);
            Tensor d = backend.allocate(scope, DType.F32, 4, 2);
            qat.beforeForward(x, 0, 1);
            new Loss.CrossEntropy().compute(backend, m.forward(x, true), y, d);
            m.backward(d);
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Parameter p : m.parameters()) grads.put(p.name(), p.grad().toFloatArray());
            Map<String, Double> slopes = qat.slopes();
            // a 2-bit histogram set holds the centres of 4 equal bins: the quantized range is 3/4 of the weight's
            assertEquals(0.75, slopes.get("net.0.weight"), 1e-6);
            qat.beforeOptimizerStep(1);
            for (Parameter p : m.parameters()) {
                float slope = slopes.containsKey(p.name()) ? (float) (double) slopes.get(p.name()) : 1f;
                float[] g = grads.get(p.name());
                float[] expected = new float[g.length];
                for (int i = 0; i < g.length; i++) expected[i] = g[i] * slope;
                assertArrayEquals(expected, p.grad().toFloatArray(), p.name() + " gradient times its slope " + slope);
            }
        }
    }

    @Test
    void aConstantWeightKeepsSlopeOneWhereTheSeedsDivisionFails() {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(DENSE, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4)) {
            Parameter w = m.parameters().getFirst();
            float[] constant = new float[12];
            java.util.Arrays.fill(constant, 0.3f);
            backend.upload(constant, w.value());
            qat.beforeForward(null, 0, 1);
            assertArrayEquals(constant, w.value().toFloatArray(), "a constant weight rounds to itself");
            assertEquals(1.0, qat.slopes().get(w.name()), "max(w) = min(w): get_slope's except branch");
        }
    }

    @Test
    void batchNormGammaIsQuantizedAndBetaIsNot() {
        ModelConfig bn = new ModelConfig("dense", new int[] {3}, 2, List.of(4), 0f, true);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(bn, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new MidRiseQuantizer(), 4)) {
            List<String> weights = m.parameters().stream().map(Parameter::name).filter(n -> n.endsWith(".weight")).toList();
            assertEquals(weights, qat.touchedParameters());
            assertTrue(weights.contains("net.1.weight"), "batch norm gamma is named .weight: " + weights);
        }
    }

    @Test
    void midRiseStepsEachElementOfAOneRowOutputWeightByItself() {
        ModelConfig regression = new ModelConfig("dense", new int[] {3}, 1, List.of(4), 0f, false);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(regression, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new MidRiseQuantizer(), 2)) {
            Parameter out = m.parameters().get(2);
            assertEquals("net.2.weight", out.name());
            float[] w = out.value().toFloatArray();
            qat.beforeForward(null, 0, 1);
            float[] q = out.value().toFloatArray();
            // len(w) == 1: delta = w / 2^p, so w_q = delta * (floor(w / delta) + 0.5) = w * (1 + 1/8) in float32
            for (int i = 0; i < w.length; i++) assertEquals(w[i] / 4f * (4f + 0.5f), q[i], 0f, "element " + i);
        }
    }

    @Test
    void stochasticRoundingDrawsAfreshEveryStepBetweenTheTwoNeighbouringEntries() {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(DENSE, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 7), 2)) {
            Parameter w = m.parameters().getFirst();
            float[] fp = w.value().toFloatArray();
            float[] set = LandmarkSetKind.UNIFORM.build(fp, 2).floats();
            boolean differs = false;
            float[] first = null;
            for (long step = 1; step <= 8; step++) {
                qat.beforeForward(null, 0, step);
                float[] q = w.value().toFloatArray();
                for (int i = 0; i < q.length; i++) {
                    int k = 0;
                    while (k + 1 < set.length && set[k + 1] < fp[i]) k++;
                    assertTrue(q[i] == set[k] || q[i] == set[Math.min(k + 1, set.length - 1)], "element " + i + " goes to a neighbouring entry");
                }
                if (first == null) first = q;
                else differs |= !java.util.Arrays.equals(first, q);
                qat.beforeOptimizerStep(step);
                assertArrayEquals(fp, w.value().toFloatArray());
            }
            assertTrue(differs, "the seed draws new random numbers every step");
        }
    }

    @Test
    void validationSeesTheQuantizedModelAndTheExportQuantizesWeightsOnly() {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(DENSE, backend, 4);
             SeedQatHook qat = new SeedQatHook(m, new RoundingQuantizer(LandmarkSetKind.PRIOR_NORMAL), 2)) {
            Map<String, float[]> fp = values(m);
            qat.beforeValidation(0);
            float[] validated = m.parameters().getFirst().value().toFloatArray();
            assertTrue(distinct(m.parameters().getFirst()) <= 4, "validation runs on the 2-bit weights");
            qat.afterValidation(0);
            values(m).forEach((n, v) -> assertArrayEquals(fp.get(n), v, n + " full precision again after validation"));
            Map<String, QuantizedTensor> exported = qat.exportQuantized();
            assertEquals(List.of("net.0.weight", "net.2.weight"), List.copyOf(exported.keySet()));
            assertArrayEquals(validated, m.parameters().getFirst().value().toFloatArray(), "regular rounding: export = what was validated");
            assertArrayEquals(fp.get("net.0.bias"), m.parameters().get(1).value().toFloatArray(), "biases exported in full precision");
            qat.close();
            assertArrayEquals(validated, m.parameters().getFirst().value().toFloatArray(), "closing keeps the exported weights");
        }
    }

    private static Map<String, float[]> values(Model m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : m.parameters()) out.put(p.name(), p.value().toFloatArray());
        return out;
    }

    private static int distinct(Parameter p) {
        float[] v = p.value().toFloatArray();
        return (int) java.util.stream.IntStream.range(0, v.length).mapToDouble(i -> v[i]).distinct().count();
    }
}
