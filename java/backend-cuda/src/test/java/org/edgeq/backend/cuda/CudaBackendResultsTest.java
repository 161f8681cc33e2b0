package org.edgeq.backend.cuda;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How CudaBackend reads back what a kernel leaves in its result buffer (a double at 0, an int at 8, two floats at
 * 16) and scales it as the Backend contract says; the recording device plays the kernel's part.
 */
class CudaBackendResultsTest {
    private RecordingDevice device;
    private CudaBackend backend;
    private TensorScope scope;
    private MemorySegment results;

    @BeforeEach
    void open() {
        device = new RecordingDevice();
        backend = new CudaBackend(device, GemmEngine.AUTO);
        scope = new TensorScope();
        results = device.at(device.allocated.getFirst(), 64);
    }

    @AfterEach
    void close() {
        scope.close();
        backend.close();
    }

    private void kernelWrites(double sum, int flag, float lo, float hi) {
        device.onLaunch = op -> {
            results.set(ValueLayout.JAVA_DOUBLE, 0, sum);
            results.set(ValueLayout.JAVA_INT, 8, flag);
            results.set(ValueLayout.JAVA_FLOAT, 16, lo);
            results.set(ValueLayout.JAVA_FLOAT, 20, hi);
        };
    }

    private Tensor dev(int... dims) {
        return backend.allocate(scope, DType.F32, dims);
    }

    @Test
    void sumsComeBackAsTheDeviceDouble() {
        kernelWrites(12.5, 0, 0, 0);
        assertEquals(12.5, backend.sum(dev(4)));
        assertEquals(12.5, backend.sumOfSquares(dev(4)));
        assertEquals(0.0, backend.sum(dev(0)), "an empty tensor sums to 0 without a launch");
        assertEquals(2, device.launches.size());
    }

    @Test
    void lossesAreTheDeviceSumsDividedAsTheContractSays() {
        kernelWrites(6.0, 0, 0, 0);
        Tensor labels = backend.allocate(scope, DType.I32, 3);
        assertEquals(2.0, backend.softmaxCrossEntropy(dev(3, 4), labels, dev(3, 4)), 0.0, "mean over 3 rows");
        assertEquals(0.5, backend.meanSquaredError(dev(3, 4), dev(3, 4), null), 0.0, "mean over 12 elements");
        assertEquals(3.0, backend.softTargetKlDivergence(dev(2, 5), dev(2, 5), 2f, null), 0.0, "mean over 2 rows");
        assertEquals(0.0, backend.softmaxCrossEntropy(dev(0, 4), backend.allocate(scope, DType.I32, 0), null));
    }

    @Test
    void aBadLabelNamesItsRowAndValue() {
        Tensor labels = backend.allocate(scope, DType.I32, 4);
        backend.upload(new int[]{0, 1, 9, -2}, labels);
        kernelWrites(0.0, 3, 0, 0);  // 1 + the first offending row
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.softmaxCrossEntropy(dev(4, 4), labels, null));
        assertEquals("softmaxCrossEntropy: labels[2] = 9 outside 0..3", e.getMessage());
    }

    @Test
    void allFiniteAndMinMaxReadTheirSlots() {
        kernelWrites(0.0, 1, -3f, 7f);
        assertTrue(backend.allFinite(dev(5)));
        float[] out = new float[2];
        backend.minMax(dev(5), out);
        assertArrayEquals(new float[]{-3f, 7f}, out);
        kernelWrites(0.0, 0, Float.NaN, Float.NaN);
        assertFalse(backend.allFinite(dev(5)));
        backend.minMax(dev(0), out);
        assertArrayEquals(new float[]{Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, out);
    }

    @Test
    void cudaTimerRunsWarmupThenAveragesTheTimedRepetitions() {
        int[] runs = {0};
        // The recording device reports 1 ms for the whole timed block.
        assertEquals(0.25, new CudaTimer(backend).meanMillis(() -> runs[0]++, 3, 4), 1e-12);
        assertEquals(7, runs[0]);
        assertThrows(IllegalArgumentException.class, () -> new CudaTimer(backend).meanMillis(() -> { }, 0, 0));
    }
}
