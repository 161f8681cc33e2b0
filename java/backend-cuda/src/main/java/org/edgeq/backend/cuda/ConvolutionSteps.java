package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;

import java.lang.foreign.MemorySegment;

/**
 * The device steps {@link CudaConvolution} composes, each with the contract of its edgeq.h entry point. An
 * interface so the composition (buffer layout, GEMM shapes and transposes, order) is tested on the host against the
 * CPU backend with a host implementation of the same contracts.
 */
interface ConvolutionSteps {

    /** edgeq_im2col_f32: cols [batch * P, R] from x. */
    void im2col(String op, MemorySegment x, MemorySegment cols, ConvGeometry g);

    /** edgeq_col2im_f32: dx (overwritten) = the adjoint of im2col applied to cols. */
    void col2im(String op, MemorySegment cols, MemorySegment dx, ConvGeometry g);

    /** edgeq_pixels_to_nchw_f32: dst[n, c, p] = src[n * pixels + p, c] + (bias == null ? 0 : bias[c]). */
    void pixelsToNchw(String op, MemorySegment src, MemorySegment bias, MemorySegment dst, int batch, int channels, int pixels);

    /** edgeq_nchw_to_pixels_f32: dst[n * pixels + p, c] = src[n, c, p]. */
    void nchwToPixels(String op, MemorySegment src, MemorySegment dst, int batch, int channels, int pixels);

    /** edgeq_sum_rows_f32 with beta 0: out[j] = sum over rows of x[i, j]. */
    void sumRows(String op, MemorySegment x, MemorySegment out, int rows, int cols);

    /** edgeq_fill_f32 with 0. */
    void zero(String op, MemorySegment x, long n);

    /** Row-major C[m, n] = op(A) op(B) (alpha 1, beta 0), as Backend.gemm. */
    void gemm(String op, boolean transA, boolean transB, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c);
}
