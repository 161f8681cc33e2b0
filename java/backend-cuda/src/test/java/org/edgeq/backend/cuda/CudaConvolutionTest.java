package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The composition CudaConvolution launches (workspace layout, GEMM shapes and transposes, order of steps), run on
 * the host with every step implemented from its edgeq.h contract, against the CPU backend's convolution.
 */
class CudaConvolutionTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** The edgeq.h contracts of the convolution steps, on host memory. */
    static final class HostSteps implements ConvolutionSteps {
        private static MemorySegment at(MemorySegment s) {
            return MemorySegment.ofAddress(s.address()).reinterpret(1L << 40);
        }

        @Override
        public void im2col(String op, MemorySegment x, MemorySegment cols, ConvGeometry g) {
            MemorySegment xs = at(x), cs = at(cols);
            int p = g.outHeight() * g.outWidth(), r = g.patchSize(), k = g.kernel();
            for (int n = 0; n < g.batch(); n++)
                for (int oy = 0; oy < g.outHeight(); oy++)
                    for (int ox = 0; ox < g.outWidth(); ox++)
                        for (int c = 0; c < g.inChannels(); c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * g.stride() - g.padding() + ky, ix = ox * g.stride() - g.padding() + kx;
                                    float v = iy < 0 || ix < 0 || iy >= g.height() || ix >= g.width() ? 0f
                                            : xs.getAtIndex(F, (((long) n * g.inChannels() + c) * g.height() + iy) * g.width() + ix);
                                    cs.setAtIndex(F, ((long) n * p + oy * g.outWidth() + ox) * r + (c * k + ky) * k + kx, v);
                                }
        }

        @Override
        public void col2im(String op, MemorySegment cols, MemorySegment dx, ConvGeometry g) {
            MemorySegment cs = at(cols), ds = at(dx);
            long size = (long) g.batch() * g.inChannels() * g.height() * g.width();
            for (long i = 0; i < size; i++) ds.setAtIndex(F, i, 0f);
            int p = g.outHeight() * g.outWidth(), r = g.patchSize(), k = g.kernel();
            for (int n = 0; n < g.batch(); n++)
                for (int oy = 0; oy < g.outHeight(); oy++)
                    for (int ox = 0; ox < g.outWidth(); ox++)
                        for (int c = 0; c < g.inChannels(); c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * g.stride() - g.padding() + ky, ix = ox * g.stride() - g.padding() + kx;
                                    if (iy < 0 || ix < 0 || iy >= g.height() || ix >= g.width()) continue;
                                    long xi = (((long) n * g.inChannels() + c) * g.height() + iy) * g.width() + ix;
                                    ds.setAtIndex(F, xi, ds.getAtIndex(F, xi)
                                            + cs.getAtIndex(F, ((long) n * p + oy * g.outWidth() + ox) * r + (c * k + ky) * k + kx));
                                }
        }

        @Override
        public void pixelsToNchw(String op, MemorySegment src, MemorySegment bias, MemorySegment dst, int batch, int channels, int pixels) {
            MemorySegment s = at(src), d = at(dst), b = bias == null ? null : at(bias);
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < channels; c++)
                    for (int p = 0; p < pixels; p++)
                        d.setAtIndex(F, ((long) n * channels + c) * pixels + p,
                                s.getAtIndex(F, ((long) n * pixels + p) * channels + c) + (b == null ? 0f : b.getAtIndex(F, c)));
        }

        @Override
        public void nchwToPixels(String op, MemorySegment src, MemorySegment dst, int batch, int channels, int pixels) {
            MemorySegment s = at(src), d = at(dst);
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < channels; c++)
                    for (int p = 0; p < pixels; p++)
                        d.setAtIndex(F, ((long) n * pixels + p) * channels + c, s.getAtIndex(F, ((long) n * channels + c) * pixels + p));
        }

        @Override
        public void sumRows(String op, MemorySegment x, MemorySegment out, int rows, int cols) {
            MemorySegment xs = at(x), os = at(out);
            for (int j = 0; j < cols; j++) {
                float acc = 0;
                for (int i = 0; i < rows; i++) acc += xs.getAtIndex(F, (long) i * cols + j);
                os.setAtIndex(F, j, acc);
            }
        }

        @Override
        public void zero(String op, MemorySegment x, long n) {
            MemorySegment xs = at(x);
            for (long i = 0; i < n; i++) xs.setAtIndex(F, i, 0f);
        }

        @Override
        public void gemm(String op, boolean transA, boolean transB, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
            MemorySegment as = at(a), bs = at(b), cs = at(c);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? as.getAtIndex(F, (long) p * m + i) : as.getAtIndex(F, (long) i * k + p);
                        float bv = transB ? bs.getAtIndex(F, (long) j * k + p) : bs.getAtIndex(F, (long) p * n + j);
                        acc += (double) av * bv;
                    }
                    cs.setAtIndex(F, (long) i * n + j, (float) acc);
                }
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4f * Math.max(1f, Math.abs(e[i])), what + "[" + i + "]");
        }
    }

    private static Tensor random(TensorScope scope, Random random, int... dims) {
        Tensor t = Tensor.host(scope, DType.F32, dims);
        for (long i = 0; i < t.numel(); i++) t.setFloat(i, (float) random.nextGaussian());
        return t;
    }

    private static void check(ConvGeometry g) {
        Random random = new Random(g.hashCode());
        try (TensorScope scope = new TensorScope(); CpuBackend cpu = new CpuBackend(1)) {
            Tensor x = random(scope, random, g.batch(), g.inChannels(), g.height(), g.width());
            Tensor w = random(scope, random, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor bias = random(scope, random, g.outChannels());
            Tensor dy = random(scope, random, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            Tensor cpuWs = Tensor.host(scope, DType.F32, (int) cpu.conv2dWorkspaceFloats(g));
            Tensor ws = Tensor.host(scope, DType.F32, (int) CudaConvolution.workspaceFloats(g));
            CudaConvolution conv = new CudaConvolution(new HostSteps());

            Tensor yCpu = Tensor.host(scope, DType.F32, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            Tensor y = Tensor.host(scope, DType.F32, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            cpu.conv2d(x, w, bias, yCpu, g, cpuWs);
            conv.forward(x.segment(), w.segment(), bias.segment(), y.segment(), g, ws.segment());
            assertClose(yCpu, y, "y " + g);

            Tensor dxCpu = Tensor.host(scope, DType.F32, g.batch(), g.inChannels(), g.height(), g.width());
            Tensor dx = Tensor.host(scope, DType.F32, g.batch(), g.inChannels(), g.height(), g.width());
            Tensor dwCpu = Tensor.host(scope, DType.F32, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor dw = Tensor.host(scope, DType.F32, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor dbCpu = Tensor.host(scope, DType.F32, g.outChannels()), db = Tensor.host(scope, DType.F32, g.outChannels());
            cpu.conv2dBackward(x, w, dy, dxCpu, dwCpu, dbCpu, g, cpuWs);
            conv.backward(x.segment(), w.segment(), dy.segment(), dx.segment(), dw.segment(), db.segment(), g, ws.segment());
            assertClose(dxCpu, dx, "dx " + g);
            assertClose(dwCpu, dw, "dWeight " + g);
            assertClose(dbCpu, db, "dBias " + g);
        }
    }

    @Test
    void forwardAndBackwardMatchTheCpuBackendOnPaddedStridedAndPointwiseGeometries() {
        check(new ConvGeometry(2, 3, 7, 6, 4, 3, 1, 1));
        check(new ConvGeometry(3, 2, 9, 9, 5, 3, 2, 0));
        check(new ConvGeometry(2, 4, 5, 5, 3, 1, 1, 0));
        check(new ConvGeometry(1, 1, 4, 4, 2, 4, 1, 2));
    }

    @Test
    void thePixelMatrixStartsOn256BytesAfterTheColsMatrixAndFitsTheWorkspace() {
        // 1 x 1 x 7 x 7 input, 3 x 3 kernel, padding 1: cols is 49 x 9 = 441 floats, which would leave the pixel
        // matrix (a GEMM output and operand) only 4-byte aligned.
        ConvGeometry g = new ConvGeometry(1, 1, 7, 7, 5, 3, 1, 1);
        long cols = 49L * 9, pixels = 49L * 5;
        assertEquals(448, CudaConvolution.pixelsOffsetFloats(g));
        assertEquals(0, CudaConvolution.pixelsOffsetFloats(g) * Float.BYTES % 256);
        assertTrue(CudaConvolution.pixelsOffsetFloats(g) >= cols);
        assertEquals(CudaConvolution.pixelsOffsetFloats(g) + pixels, CudaConvolution.workspaceFloats(g));
        check(g);
    }
}
