package org.edgeq.metrics;

import org.edgeq.backend.Backend;
import org.edgeq.nn.LayerShape;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.tensor.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Parameters, non-zeros, MACs and BOPs of hand-computed models, from shapes and from built models. */
class ModelProfileTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = TestBackends.cpu(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void aSmallDenseNetworkCountsInTimesOutMacsPerLayer() {
        // 4 -> 3 -> 2: Linear(4, 3) has 12 weights and 3 biases, Linear(3, 2) 6 and 2.
        ModelProfile p = ModelProfiler.fromShapes(ModelFactory.layerShapes(new ModelConfig("dense", new int[] {4}, 2, List.of(3), 0f, false)),
                LayerBits.FP32);
        assertEquals(List.of("Linear", "ReLU", "Linear"), p.layers().stream().map(LayerProfile::type).toList());
        assertEquals(12 + 3 + 6 + 2, p.parameters());
        assertEquals(12 + 6, p.weights());
        assertEquals(4 * 3 + 3 * 2, p.denseMacs());
        assertEquals(p.denseMacs(), p.effectiveMacs(), "shapes alone: every weight counts");
        assertEquals(18L * 32 * 32, p.bops(), "FP32: 32 x 32 bit-operations per MAC");
        assertEquals(18L * 8 * 8, p.withBits(LayerBits.uniform(8, 8)).bops());
        assertEquals(18L * 4 * 32, p.withBits(LayerBits.ofRow(4, null)).bops(), "activations not quantized: 32 bits");
        assertEquals(4 * 23, p.storedBytes());
        assertNull(p.fileBytes());
        assertEquals(0, p.weightSparsity());
    }

    @Test
    void convolutionMacsCountEveryWeightAtEveryOutputPositionWithPaddingAndStride() {
        // Conv2d(2 -> 4, k 3) on 7x7: no padding gives 5x5 outputs, padding 1 and stride 2 give 4x4.
        LayerShape valid = conv(Shape.of(2, 7, 7), Shape.of(4, 5, 5));
        LayerShape strided = conv(Shape.of(2, 7, 7), Shape.of(4, 4, 4));
        assertEquals(4 * 2 * 3 * 3 * 5 * 5, MacCount.dense(valid));
        assertEquals(4 * 2 * 3 * 3 * 4 * 4, MacCount.dense(strided));
        assertEquals(25, MacCount.usesPerWeight(valid));
        assertEquals(1800, MacCount.conv2d(4, 2, 3, 3, 5, 5));
        assertEquals(20 * 30, MacCount.linear(20, 30));
    }

    private static LayerShape conv(Shape in, Shape out) {
        return new LayerShape("c", "Conv2d", in, out, Map.of("weight", Shape.of(4, 2, 3, 3), "bias", Shape.of(4)), Map.of(), 0);
    }

    @Test
    void cnnSmallOnFashionMnistShapesHasTheHandCountedParametersAndMacs() {
        ModelProfile p = ModelProfiler.fromShapes(ModelFactory.layerShapes(ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10)), LayerBits.FP32);
        // conv 1->16 at 28x28 (padding 1 keeps it), pool to 14x14, conv 16->32 at 14x14, pool to 7x7, fc 1568->128, fc 128->10
        long conv1 = 16L * 1 * 9 * 28 * 28;
        long conv2 = 32L * 16 * 9 * 14 * 14;
        long fc1 = 32L * 7 * 7 * 128;
        long fc2 = 128L * 10;
        assertEquals(List.of(112_896L, 903_168L, 200_704L, 1_280L), List.of(conv1, conv2, fc1, fc2));
        assertEquals(conv1 + conv2 + fc1 + fc2, p.denseMacs());
        assertEquals(1_218_048L, p.denseMacs());
        // conv1 144 + 16, bn 16 + 16, conv2 4608 + 32, bn 32 + 32, fc1 200704 + 128, fc2 1280 + 10
        assertEquals(207_018L, p.parameters());
        assertEquals(144 + 4608 + 200_704 + 1_280, p.weights());
        LayerProfile bn = p.layers().get(1);
        assertEquals("BatchNorm2d", bn.type());
        assertEquals(0, bn.denseMacs(), "batch norm folds into the convolution at inference: no MACs of its own");
        assertEquals(4 * 4 * 16, bn.storedBytes(), "scale, shift and both running statistics");
    }

    @Test
    void aConvNetWithPoolingCountsMacsAtThePooledSizes() {
        // cnn-small on 2x6x6: conv 2->16 at 6x6, pool to 3x3, conv 16->32 at 3x3, pool to 1x1, fc 32->128, fc 128->3
        ModelProfile p = ModelProfiler.fromShapes(ModelFactory.layerShapes(ModelPresets.cnnSmall(new int[] {2, 6, 6}, 3)), LayerBits.FP32);
        assertEquals(16L * 2 * 9 * 36 + 32L * 16 * 9 * 9 + 32 * 128 + 128 * 3, p.denseMacs());
    }

    @Test
    void aBuiltModelMatchesItsShapeProfileUntilWeightsArePrunedThenEffectiveMacsDropByTheZerosUses() {
        ModelConfig config = ModelPresets.cnnSmall(new int[] {1, 12, 12}, 4);
        try (Model m = ModelFactory.create(config, backend, 3)) {
            ModelProfile dense = ModelProfiler.of(m, LayerBits.FP32);
            assertEquals(ModelProfiler.fromShapes(ModelFactory.layerShapes(config), LayerBits.FP32).denseMacs(), dense.denseMacs());
            assertEquals(dense.denseMacs(), dense.effectiveMacs(), "random initial weights have no zeros");

            // Zero 10 weights of the first convolution (used at 12x12 positions) and 7 of the first Linear (used once).
            WeightLayerRef conv = m.weightLayers().get(0);
            WeightLayerRef fc = m.weightLayers().get(2);
            zeroFirst(conv, 10);
            zeroFirst(fc, 7);
            ModelProfile pruned = ModelProfiler.of(m, LayerBits.FP32);
            assertEquals(dense.denseMacs(), pruned.denseMacs(), "dense MACs come from shapes");
            assertEquals(dense.denseMacs() - 10L * 12 * 12 - 7, pruned.effectiveMacs());
            assertEquals(dense.nonzeros() - 17, pruned.nonzeros());
            LayerProfile first = pruned.layers().getFirst();
            assertEquals(10.0 / 144, first.weightSparsity(), 1e-15);
            assertEquals(17.0 / pruned.weights(), pruned.weightSparsity(), 1e-15);
            assertEquals(org.edgeq.prune.Sparsity.of(m).overall(), pruned.weightSparsity(), 1e-15, "the results' sparsity figure");
            assertEquals(pruned.effectiveMacs() * 8 * 32, pruned.withBits(LayerBits.ofRow(8, null)).bops(),
                    "BOPs follow the effective MACs");
        }
    }

    @Test
    void perLayerWidthsOverrideTheDefault() {
        ModelProfile p = ModelProfiler.fromShapes(ModelFactory.layerShapes(ModelPresets.denseSimple(4, 2)),
                new LayerBits(4, 8, Map.of("net.2", 32), Map.of()));
        assertEquals(4 * 10 * 4 * 8 + 10 * 2 * 32 * 8, p.bops(), "the output layer kept at 32 bits");
    }

    @Test
    void storedBytesOfAnExportAreTheEncodedSizesOfTheLayersTensors() {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(4, 2), backend, 3)) {
            ModelProfile p = ModelProfiler.of(m, LayerBits.FP32, name -> name.endsWith("weight") ? 5 : 1);
            assertEquals(List.of(6L, 0L, 6L), p.layers().stream().map(LayerProfile::storedBytes).toList());
        }
    }

    private static void zeroFirst(WeightLayerRef l, int n) {
        float[] w = new float[Math.toIntExact(l.weight().value().numel())];
        backend.download(l.weight().value(), w);
        for (int i = 0; i < n; i++) w[i] = i % 2 == 0 ? 0f : -0f; // -0 is zero too
        backend.upload(w, l.weight().value());
    }
}
