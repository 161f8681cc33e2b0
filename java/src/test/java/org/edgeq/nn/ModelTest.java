package org.edgeq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Models are built as configured, named as PyTorch names them, and initialised reproducibly. */
class ModelTest {
    private static Backend backend;

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void denseSimpleStateDictMatchesPyTorchNamesAndCounts() {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(10, 2), backend, 1)) {
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"), List.copyOf(m.stateDict().keySet()));
            assertEquals(Shape.of(10, 10), m.stateDict().get("net.0.weight").shape());
            assertEquals(Shape.of(2, 10), m.stateDict().get("net.2.weight").shape());
            assertEquals(10 * 10 + 10 + 10 * 2 + 2, m.parameterCount());
        }
    }

    @Test
    void weightLayersListLinearAndConvLayersInForwardOrderWithTheirParameters() {
        try (Model m = ModelFactory.create(ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10), backend, 1)) {
            List<WeightLayerRef> wl = m.weightLayers();
            assertEquals(List.of("Conv2d", "Conv2d", "Linear", "Linear"), wl.stream().map(w -> w.layer().type()).toList());
            assertTrue(wl.get(0).isFirst() && !wl.get(0).isLast());
            assertTrue(wl.get(3).isLast());
            for (WeightLayerRef w : wl) {
                assertEquals(w.path() + ".weight", w.weight().name());
                assertTrue(m.stateDict().get(w.weight().name()) == w.weight().value(), "the model's own tensor, not a copy");
                if (w.bias() != null) assertEquals(w.path() + ".bias", w.bias().name());
            }
            assertEquals(10, wl.get(3).outChannels());
        }
    }

    @Test
    void denseWithBatchNormAndDropoutNamesRunningStatisticsInModuleOrder() {
        ModelConfig c = new ModelConfig("dense", new int[] {4}, 3, List.of(8), 0.1f, true);
        try (Model m = ModelFactory.create(c, backend, 1)) {
            // PyTorch: Sequential(Linear, BatchNorm1d, ReLU, Dropout, Linear)
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.1.running_mean",
                    "net.1.running_var", "net.4.weight", "net.4.bias"), List.copyOf(m.stateDict().keySet()));
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.4.weight", "net.4.bias"),
                    m.parameters().stream().map(Parameter::name).toList());
        }
    }

    @Test
    void denseComplexHasTheSeedsHiddenSizes() {
        try (Model m = ModelFactory.create(ModelPresets.denseComplex(10, 2), backend, 1)) {
            List<Shape> weights = m.parameters().stream().filter(p -> p.name().endsWith("weight")).map(p -> p.value().shape()).toList();
            assertEquals(List.of(Shape.of(20, 10), Shape.of(40, 20), Shape.of(60, 40), Shape.of(30, 60), Shape.of(2, 30)), weights);
            assertEquals(4, m.dropouts().size());
        }
    }

    @Test
    void cnnSmallStateDictMatchesPyTorchNamesAndShapes() {
        try (Model m = ModelFactory.create(ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10), backend, 1)) {
            // PyTorch: Sequential(Conv2d, BatchNorm2d, ReLU, MaxPool2d, Conv2d, BatchNorm2d, ReLU, MaxPool2d,
            //                     Flatten, Linear, ReLU, Dropout, Linear)
            Map<String, Tensor> sd = m.stateDict();
            assertEquals(List.of(
                    "net.0.weight", "net.0.bias",
                    "net.1.weight", "net.1.bias", "net.1.running_mean", "net.1.running_var",
                    "net.4.weight", "net.4.bias",
                    "net.5.weight", "net.5.bias", "net.5.running_mean", "net.5.running_var",
                    "net.9.weight", "net.9.bias",
                    "net.12.weight", "net.12.bias"), List.copyOf(sd.keySet()));
            assertEquals(Shape.of(16, 1, 3, 3), sd.get("net.0.weight").shape());
            assertEquals(Shape.of(32, 16, 3, 3), sd.get("net.4.weight").shape());
            assertEquals(Shape.of(128, 32 * 7 * 7), sd.get("net.9.weight").shape());
            assertEquals(Shape.of(10, 128), sd.get("net.12.weight").shape());
            assertEquals(160 + 32 + 4640 + 64 + 200832 + 1290, m.parameterCount());
        }
    }

    @Test
    void sameSeedGivesSameInitialWeightsAndAnotherSeedDiffers() {
        try (Model a = ModelFactory.create(ModelPresets.denseComplex(5, 3), backend, 11);
             Model b = ModelFactory.create(ModelPresets.denseComplex(5, 3), backend, 11);
             Model c = ModelFactory.create(ModelPresets.denseComplex(5, 3), backend, 12)) {
            float[] wa = a.stateDict().get("net.0.weight").toFloatArray();
            assertArrayEquals(wa, b.stateDict().get("net.0.weight").toFloatArray());
            assertFalse(java.util.Arrays.equals(wa, c.stateDict().get("net.0.weight").toFloatArray()));
        }
    }

    @Test
    void initialisationFollowsPyTorchBoundsOfOneOverSqrtFanIn() {
        try (Model m = ModelFactory.create(ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10), backend, 3)) {
            checkBound(m.stateDict().get("net.4.weight").toFloatArray(), 1 / Math.sqrt(16 * 9));
            checkBound(m.stateDict().get("net.4.bias").toFloatArray(), 1 / Math.sqrt(16 * 9));
            checkBound(m.stateDict().get("net.9.weight").toFloatArray(), 1 / Math.sqrt(32 * 49));
            assertArrayEquals(new float[16], m.stateDict().get("net.1.running_mean").toFloatArray());
            float[] ones = new float[16];
            java.util.Arrays.fill(ones, 1f);
            assertArrayEquals(ones, m.stateDict().get("net.1.running_var").toFloatArray());
            assertArrayEquals(ones, m.stateDict().get("net.1.weight").toFloatArray());
        }
    }

    private static void checkBound(float[] w, double bound) {
        double maxAbs = 0;
        for (float v : w) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs <= bound * (1 + 1e-6), "max |w| " + maxAbs + " above bound " + bound);
        assertTrue(maxAbs > 0.8 * bound, "max |w| " + maxAbs + " far below bound " + bound + ": not uniform over the range");
    }

    @Test
    void everyArchitectureRunsForwardAndBackwardOnBothImageShapes() {
        for (String arch : List.of("cnn-seed", "cnn-small", "resnet9")) {
            for (int[] shape : List.of(new int[] {1, 28, 28}, new int[] {3, 32, 32})) {
                ModelConfig c = new ModelConfig(arch, shape, 10, List.of(), 0.25f, false);
                try (Model m = ModelFactory.create(c, backend, 5); TensorScope s = new TensorScope()) {
                    // One sample keeps the check fast; batch-norm still has H*W values per channel to normalise.
                    Tensor x = backend.allocate(s, DType.F32, 1, shape[0], shape[1], shape[2]);
                    backend.upload(new java.util.Random(1).doubles(x.numel()).mapToObj(d -> (float) d)
                            .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), ModelTest::toArray)), x);
                    Tensor out = m.forward(x, true);
                    assertEquals(Shape.of(1, 10), out.shape(), arch + " on " + java.util.Arrays.toString(shape));
                    Tensor d = backend.allocate(s, DType.F32, 1, 10);
                    backend.fill(d, 0.1f);
                    m.backward(d);
                    for (Parameter p : m.parameters()) assertTrue(backend.allFinite(p.grad()), arch + " " + p.name());
                }
            }
        }
    }

    private static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    @Test
    void resnet9NamesFollowNestedSequentialsAndResidualBlocks() {
        try (Model m = ModelFactory.create(ModelPresets.resnet9(new int[] {3, 32, 32}, 10), backend, 1)) {
            var keys = m.stateDict().keySet();
            assertTrue(keys.contains("net.0.0.weight"), keys.toString());
            assertTrue(keys.contains("net.0.1.running_var"), keys.toString());
            assertTrue(keys.contains("net.3.0.0.weight"), keys.toString());
            assertTrue(keys.contains("net.3.1.1.running_mean"), keys.toString());
            assertTrue(keys.contains("net.11.weight"), keys.toString());
            assertFalse(keys.contains("net.0.0.bias"), "ResNet9's convolutions have no bias");
            assertEquals(Shape.of(10, 512), m.stateDict().get("net.11.weight").shape());
        }
    }

    @Test
    void summaryListsLeafLayersWithMacsAndBytes() {
        try (Model m = ModelFactory.create(ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10), backend, 1)) {
            List<LayerSummary> rows = m.summary();
            assertEquals(13, rows.size());
            LayerSummary conv = rows.getFirst();
            assertEquals("net.0", conv.name());
            assertEquals("Conv2d", conv.type());
            assertEquals(Shape.of(16, 28, 28), conv.outputShape());
            assertEquals(160, conv.parameters());
            assertEquals(16L * 28 * 28 * 9, conv.macsPerSample());
            assertEquals(160 * 4, conv.bytes());
            LayerSummary bn = rows.get(1);
            assertEquals("BatchNorm2d", bn.type());
            assertEquals(4 * 16 * 4, bn.bytes());
            assertEquals(m.parameterCount(), rows.stream().mapToLong(LayerSummary::parameters).sum());
        }
    }

    @Test
    void layerShapesPlannedFromTheConfigEqualThoseOfTheBuiltModelForEveryArchitecture() {
        List<ModelConfig> configs = List.of(
                ModelPresets.denseComplex(10, 2),
                new ModelConfig("dense", new int[] {1, 4, 4}, 3, List.of(8, 5), 0f, true),
                ModelPresets.cnnSeed(new int[] {3, 8, 8}, 10),
                ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10),
                ModelPresets.resnet9(new int[] {3, 16, 16}, 10));
        assertEquals(Architecture.values().length, configs.stream().map(ModelConfig::architecture).distinct().count(),
                "every architecture is planned");
        for (ModelConfig c : configs) {
            try (Model m = ModelFactory.create(c, backend, 1)) {
                assertEquals(m.layerShapes(), ModelFactory.layerShapes(c), c.architecture());
                assertEquals(m.summary(), ModelFactory.layerShapes(c).stream().map(LayerShape::summary).toList(), c.architecture());
            }
        }
    }

    @Test
    void layerShapesOfAHugeDenseNetworkAllocateNothing() {
        long before = org.edgeq.tensor.AllocationCounter.HOST.allocations();
        List<LayerShape> shapes = ModelFactory.layerShapes(new ModelConfig("dense", new int[] {10}, 2, List.of(20_000, 20_000), 0f, false));
        assertEquals(before, org.edgeq.tensor.AllocationCounter.HOST.allocations(), "no tensor was allocated");
        assertEquals(Shape.of(20_000, 20_000), shapes.get(2).weight());
        assertEquals(10L * 20_000 + 20_000 + 20_000L * 20_000 + 20_000 + 20_000 * 2 + 2,
                shapes.stream().mapToLong(LayerShape::parameterCount).sum());
    }

    @Test
    void planningRefusesWhatBuildingRefuses() {
        ModelConfig tabularCnn = ModelPresets.cnnSmall(new int[] {4}, 2);
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.create(tabularCnn, backend, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.layerShapes(tabularCnn));
        ModelConfig tooSmall = ModelPresets.cnnSeed(new int[] {3, 4, 4}, 10); // three 2x2 pools do not fit 4x4
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.create(tooSmall, backend, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelFactory.layerShapes(tooSmall));
    }

    @Test
    void imageModelAcceptsFlatRowsOfTheRightLength() {
        try (Model m = ModelFactory.create(ModelPresets.cnnSmall(new int[] {1, 12, 12}, 4), backend, 1); TensorScope s = new TensorScope()) {
            Tensor flat = backend.allocate(s, DType.F32, 3, 144);
            assertEquals(Shape.of(3, 4), m.forward(flat, false).shape());
        }
    }

    @Test
    void nonPositiveHiddenSizeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelFactory.create(new ModelConfig("dense", new int[] {3}, 2, List.of(4, 0), 0f, false), backend, 1));
        assertTrue(e.getMessage().contains("[4, 0]"), e.getMessage());
    }

    @Test
    void wrongInputShapeIsRejectedWithTheShapes() {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(10, 2), backend, 1); TensorScope s = new TensorScope()) {
            Tensor x = backend.allocate(s, DType.F32, 4, 9);
            var e = assertThrows(IllegalArgumentException.class, () -> m.forward(x, false));
            assertTrue(e.getMessage().contains("[4, 9]"), e.getMessage());
        }
    }

    @Test
    void unknownArchitectureNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelFactory.create(new ModelConfig("vgg", new int[] {3}, 2, List.of(), 0f, false), backend, 1));
        assertTrue(e.getMessage().contains("cnn-small"), e.getMessage());
    }
}
