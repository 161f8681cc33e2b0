package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.tensor.Tensor;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.junit.jupiter.api.Test;

/** The seed's QAT trains full-precision shadows, runs forward on quantized weights and exports the quantized model. */
class SeedQatHookTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(900, 3, 1, 4, 2, 2.0, 5);

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

    private static int distinct(Parameter p) {
        float[] v = p.value().toFloatArray();
        return (int) java.util.stream.IntStream.range(0, v.length).mapToDouble(i -> v[i]).distinct().count();
    }
}
