package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CudaBackend over a recording device (no GPU): bad arguments and host tensors are refused in Java with the CPU
 * backend's messages before anything is launched, and good calls launch what the op needs.
 */
class CudaBackendChecksTest {
    private RecordingDevice device;
    private CudaBackend backend;
    private TensorScope scope;

    @BeforeEach
    void open() {
        device = new RecordingDevice();
        backend = new CudaBackend(device, GemmEngine.AUTO);
        scope = new TensorScope();
    }

    @AfterEach
    void close() {
        scope.close();
        backend.close();
    }

    private Tensor dev(int... dims) {
        return backend.allocate(scope, DType.F32, dims);
    }

    private void refusedBeforeLaunch(String message, Executable call) {
        int before = device.launches.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(before, device.launches.size(), "nothing may be launched after a refused call");
    }

    @Test
    void allocationGivesZeroedDeviceTensorsThatUploadAndDownloadRoundTrip() {
        Tensor t = dev(2, 3);
        assertFalse(t.isHost());
        float[] back = new float[6];
        backend.download(t, back);
        assertArrayEquals(new float[6], back);
        float[] values = {1, -2, 3.5f, Float.NaN, 0, -0f};
        backend.upload(values, t);
        backend.download(t, back);
        assertArrayEquals(values, back);
        Tensor ints = backend.allocate(scope, DType.I32, 3);
        backend.upload(new int[]{7, -1, 3}, ints);
        int[] intsBack = new int[3];
        backend.download(ints, intsBack);
        assertArrayEquals(new int[]{7, -1, 3}, intsBack);
    }

    @Test
    void closingTheScopeFreesItsDeviceMemoryAndItsTensorsAreRefusedAfterwards() {
        TensorScope inner = new TensorScope();
        Tensor t = backend.allocate(inner, DType.F32, 4);
        int frees = device.frees;
        inner.close();
        assertEquals(frees + 1, device.frees);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.fill(t, 1f));
        assertTrue(e.getMessage().startsWith("fill: x Tensor[4] F32 (device) belongs to a closed TensorScope"), e.getMessage());
        assertFalse(device.launches.contains("fill"));
        int allocations = device.allocations;
        assertThrows(IllegalStateException.class, () -> backend.allocate(inner, DType.F32, 4));
        assertEquals(allocations, device.allocations, "no device memory for a closed scope");
    }

    @Test
    void hostTensorsAreRefusedNotDereferencedAsDevicePointers() {
        Tensor host = Tensor.of(scope, new float[]{1, 2, 3, 4}, 2, 2);
        Tensor d = dev(2, 2);
        String tail = " is a host tensor; the cuda backend only takes tensors it allocated (copy host values in with upload)";
        refusedBeforeLaunch("relu: x Tensor[2, 2] F32" + tail, () -> backend.relu(host, d));
        refusedBeforeLaunch("gemm: b Tensor[2, 2] F32" + tail, () -> backend.gemm(false, false, 1f, d, host, 0f, dev(2, 2)));
        refusedBeforeLaunch("upload: dst Tensor[2, 2] F32" + tail, () -> backend.upload(new float[4], host));
        refusedBeforeLaunch("download: src Tensor[2, 2] F32" + tail, () -> backend.download(host, new float[4]));
        assertTrue(device.copies.isEmpty(), device.copies.toString());
    }

    @Test
    void badShapesAndDtypesAreRefusedWithTheCpuBackendsMessages() {
        refusedBeforeLaunch("gemm: op(a) [2, 3] (a [2, 3]) times op(b) [4, 5] (b [4, 5]) does not fit c [2, 5]",
                () -> backend.gemm(false, false, 1f, dev(2, 3), dev(4, 5), 0f, dev(2, 5)));
        refusedBeforeLaunch("axpy: x [6] and y [5] differ in element count (6 vs 5)", () -> backend.axpy(1f, dev(6), dev(5)));
        refusedBeforeLaunch("relu: x must be F32, got I32[3]", () -> backend.relu(backend.allocate(scope, DType.I32, 3), dev(3)));
        refusedBeforeLaunch("addRowVector: bias [4] must have 3 elements", () -> backend.addRowVector(dev(2, 3), dev(4)));
        refusedBeforeLaunch("fakeQuantize: scale [2] must have 1 elements",
                () -> backend.fakeQuantize(dev(4), dev(4), dev(2), backend.allocate(scope, DType.I32, 1), -8, 7));
        refusedBeforeLaunch("fakeQuantize: need -65536 <= qmin < qmax <= 65536, got qmin=7 qmax=-8",
                () -> backend.fakeQuantize(dev(4), dev(4), dev(1), backend.allocate(scope, DType.I32, 1), 7, -8));
        refusedBeforeLaunch("dropout: p must be in [0, 1], got 1.5", () -> backend.dropout(dev(4), dev(4), dev(4), 1.5f, 1, 0));
        refusedBeforeLaunch("adamStep: step counts from 1, got 0", () -> backend.adamStep(dev(4), dev(4), dev(4), dev(4), 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 0));
        refusedBeforeLaunch("batchNorm: x must be [N, C] or [N, C, H, W], got [2, 3, 4]",
                () -> backend.batchNorm(dev(2, 3, 4), dev(2, 3, 4), dev(3), dev(3), dev(3), dev(3), dev(3), dev(3), true, 0.1f, 1e-5f));
        refusedBeforeLaunch("softmaxCrossEntropy: labels [3] must have 2 elements",
                () -> backend.softmaxCrossEntropy(dev(2, 4), backend.allocate(scope, DType.I32, 3), null));
        refusedBeforeLaunch("softTargetKlDivergence: temperature must be positive and finite, got 0.0",
                () -> backend.softTargetKlDivergence(dev(2, 4), dev(2, 4), 0f, null));
        PoolGeometry pool = new PoolGeometry(1, 2, 4, 4, 2, 2);
        refusedBeforeLaunch("maxPool2d: y must have shape [1, 2, 2, 2], got [1, 2, 3, 3]",
                () -> backend.maxPool2d(dev(1, 2, 4, 4), dev(1, 2, 3, 3), backend.allocate(scope, DType.I32, 8), pool));
    }

    @Test
    void convolutionChecksGeometryAndWorkspaceBeforeAnyLaunch() {
        ConvGeometry g = new ConvGeometry(2, 3, 5, 5, 4, 3, 1, 1);
        long need = backend.conv2dWorkspaceFloats(g);
        // cols (1350 floats) rounded up to 256 bytes (1408), then the pixels (200).
        assertEquals(1408 + 2L * 25 * 4, need, "cols and pixels of the whole batch");
        refusedBeforeLaunch("conv2d: weight must have shape [4, 3, 3, 3], got [4, 3, 2, 2]",
                () -> backend.conv2d(dev(2, 3, 5, 5), dev(4, 3, 2, 2), null, dev(2, 4, 5, 5), g, dev((int) need)));
        refusedBeforeLaunch("conv2d: workspace [10] smaller than the " + need + " floats conv2dWorkspaceFloats(" + g + ") asks for",
                () -> backend.conv2d(dev(2, 3, 5, 5), dev(4, 3, 3, 3), null, dev(2, 4, 5, 5), g, dev(10)));
        backend.conv2d(dev(2, 3, 5, 5), dev(4, 3, 3, 3), dev(4), dev(2, 4, 5, 5), g, dev((int) need));
        assertEquals(List.of("conv2d", "conv2d", "conv2d"), device.launches, "im2col, GEMM, pixels_to_nchw");
        device.launches.clear();
        backend.conv2dBackward(dev(2, 3, 5, 5), dev(4, 3, 3, 3), dev(2, 4, 5, 5), dev(2, 3, 5, 5), dev(4, 3, 3, 3), dev(4), g, dev((int) need));
        assertEquals(6, device.launches.size(), "nchw_to_pixels, sumRows, im2col, dW GEMM, dcols GEMM, col2im: " + device.launches);
    }

    @Test
    void perChannelValuesStayOnTheDeviceUncheckedAndOnlyTheirShapesAreChecked() {
        Tensor scales = dev(3);
        backend.upload(new float[]{0.5f, 0f, 1f}, scales);
        Tensor zeros = backend.allocate(scope, DType.I32, 3);
        device.copies.clear();
        backend.fakeQuantizePerChannel(dev(3, 4), dev(3, 4), scales, zeros, -128, 127);
        assertEquals(List.of("fakeQuantizePerChannel"), device.launches, "a zero scale is the caller's to avoid (QuantOps)");
        assertTrue(device.copies.isEmpty(), "nothing read back: " + device.copies);
        refusedBeforeLaunch("fakeQuantizePerChannel: scales [2] must have 3 elements",
                () -> backend.fakeQuantizePerChannel(dev(3, 4), dev(3, 4), dev(2), zeros, -128, 127));
    }

    @Test
    void autoGemmWithoutCublasLtRunsOurKernelAndAnEmptyInnerDimensionOrZeroAlphaOnlyScalesC() {
        assertEquals(GemmEngine.AUTO, backend.gemmEngine());
        backend.gemm(true, false, 1f, dev(3, 2), dev(3, 4), 0f, dev(2, 4));
        assertEquals(List.of("gemm"), device.launches);
        device.launches.clear();
        backend.gemm(false, false, 1f, dev(2, 0), dev(0, 4), 0.5f, dev(2, 4));
        assertEquals(List.of("scale"), device.launches);
        device.launches.clear();
        backend.gemm(false, false, 0f, dev(2, 3), dev(3, 4), 0f, dev(2, 4));
        assertEquals(List.of("fill"), device.launches, "alpha == 0 reads neither A nor B, whatever the engine");
        assertTrue(backend.description().startsWith("CUDA Recording device, compute capability 9.0, 80.0 GiB, GEMM AUTO (cuBLASLt not loaded"),
                backend.description());
    }

    @Test
    void int8AndHalfGemmsCheckDtypesShapesAndTheCublasLtLayoutRule() {
        Tensor a = backend.allocate(scope, DType.I8, 3, 6), b = backend.allocate(scope, DType.I8, 8, 6);
        Tensor c = backend.allocate(scope, DType.I32, 3, 8);
        refusedBeforeLaunch("gemmInt8: the CUBLASLT path needs k and n multiples of 4 (cuBLASLt int8 TN layout), got m=3 n=8 k=6",
                () -> backend.gemmInt8(a, b, c, Int8GemmPath.CUBLASLT));
        refusedBeforeLaunch("gemmInt8: a must be I8, got F32[3, 6]", () -> backend.gemmInt8(dev(3, 6), b, c, Int8GemmPath.DP4A));
        refusedBeforeLaunch("gemmInt8: c32 must have shape [3, 8], got [8, 3]",
                () -> backend.gemmInt8(a, b, backend.allocate(scope, DType.I32, 8, 3), Int8GemmPath.DP4A));
        backend.gemmInt8(a, b, c, Int8GemmPath.TENSOR_CORE);
        assertEquals(List.of("gemmInt8"), device.launches);
        Tensor h = backend.allocate(scope, DType.F16, 3, 6);
        refusedBeforeLaunch("gemmHalf: a [3, 6] and b [8, 5] differ in k (a is [m, k], b is [n, k])",
                () -> backend.gemmHalf(h, backend.allocate(scope, DType.F16, 8, 5), dev(3, 8), HalfGemmPath.KERNEL));
        IllegalStateException noLt = assertThrows(IllegalStateException.class,
                () -> backend.gemmHalf(h, backend.allocate(scope, DType.F16, 8, 6), dev(3, 8), HalfGemmPath.CUBLASLT));
        assertEquals("gemmHalf: the CUBLASLT path needs cuBLASLt, which is not loaded", noLt.getMessage());
        refusedBeforeLaunch("convertToHalf: src [3, 6] and dst [4] differ in element count (18 vs 4)",
                () -> backend.convertToHalf(dev(3, 6), backend.allocate(scope, DType.F16, 4)));
    }

    @Test
    void closingTheBackendFreesItsResultBufferAndClosesTheDevice() {
        assertEquals(1, device.allocations, "the backend holds one buffer of its own (scalar results)");
        backend.close();
        assertTrue(device.closed);
        assertEquals(1, device.frees);
        backend.close();
        assertEquals(1, device.frees, "closing twice frees once");
    }

    @Test
    void batchNormBackwardWithoutDxLaunchesOnceWithNoTemporaryAndRefusesDxAliasingItsInputs() {
        Tensor x = dev(4, 3, 2, 2), dy = dev(4, 3, 2, 2), dx = dev(4, 3, 2, 2);
        int allocations = device.allocations;
        backend.batchNormBackward(x, dy, dev(3), dev(3), dev(3), null, dev(3), dev(3));
        assertEquals(List.of("batchNormBackward"), device.launches);
        assertEquals(allocations + 3 + 2, device.allocations, "the five channel tensors, no temporary for dx");
        refusedBeforeLaunch("batchNormBackward: dy and dx must not share memory",
                () -> backend.batchNormBackward(x, dy, dev(3), dev(3), dev(3), dy, dev(3), dev(3)));
        refusedBeforeLaunch("batchNormBackward: x and dx must not share memory",
                () -> backend.batchNormBackward(x, dy, dev(3), dev(3), dev(3), x, dev(3), dev(3)));
        backend.batchNormBackward(x, dy, dev(3), dev(3), dev(3), dx, dev(3), dev(3));
        assertEquals(2, device.launches.size());
    }

    @Test
    void quantizationParametersOnTheDeviceAreNeverCopiedBack() {
        Tensor x = dev(3, 4), scales = dev(3), zeroPoints = backend.allocate(scope, DType.I32, 3);
        Tensor scale = dev(1), zeroPoint = backend.allocate(scope, DType.I32, 1), mins = dev(3), maxs = dev(3), ds = dev(1);
        device.launches.clear();
        device.copies.clear();
        backend.foldExtremes(x, mins, maxs, RangeFold.MOVING_AVERAGE, 0.01f, false);
        backend.affineParams(mins, maxs, scales, zeroPoints, -128, 127, false);
        backend.fakeQuantizePerChannel(x, x, scales, zeroPoints, -128, 127);
        backend.fakeQuantizePerChannelBackward(x, x, x, scales, zeroPoints, -128, 127);
        backend.fakeQuantize(x, x, scale, zeroPoint, -128, 127);
        backend.fakeQuantizeBackward(x, x, x, scale, zeroPoint, -128, 127);
        backend.fakeQuantizeLsqBackward(x, x, x, scale, zeroPoint, -128, 127, 0.5f, ds);
        backend.clampScales(scales, 1e-7f);
        assertEquals(List.of("foldExtremes", "affineParams", "fakeQuantizePerChannel", "fakeQuantizePerChannelBackward",
                "fakeQuantize", "fakeQuantizeBackward", "fakeQuantizeLsqBackward", "clampScales"), device.launches);
        assertTrue(device.copies.isEmpty(), "no copy back: " + device.copies);
    }
}
