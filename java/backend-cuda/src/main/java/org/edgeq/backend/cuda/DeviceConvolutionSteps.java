package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.bindings.edgeq.EdgeqNative;

import java.lang.foreign.MemorySegment;

/** {@link ConvolutionSteps} as libedgeq_cuda launches on the backend's stream, GEMMs through the engine switch. */
final class DeviceConvolutionSteps implements ConvolutionSteps {
    private final DeviceCalls device;
    private final CudaGemms gemms;

    DeviceConvolutionSteps(DeviceCalls device, CudaGemms gemms) {
        this.device = device;
        this.gemms = gemms;
    }

    @Override
    public void im2col(String op, MemorySegment x, MemorySegment cols, ConvGeometry g) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_im2col_f32(ctx, s, x, cols, g.batch(), g.inChannels(), g.height(),
                g.width(), g.kernel(), g.stride(), g.padding()));
    }

    @Override
    public void col2im(String op, MemorySegment cols, MemorySegment dx, ConvGeometry g) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_col2im_f32(ctx, s, cols, dx, g.batch(), g.inChannels(), g.height(),
                g.width(), g.kernel(), g.stride(), g.padding()));
    }

    @Override
    public void pixelsToNchw(String op, MemorySegment src, MemorySegment bias, MemorySegment dst, int batch, int channels, int pixels) {
        MemorySegment b = bias == null ? MemorySegment.NULL : bias;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_pixels_to_nchw_f32(ctx, s, src, b, dst, batch, channels, pixels));
    }

    @Override
    public void nchwToPixels(String op, MemorySegment src, MemorySegment dst, int batch, int channels, int pixels) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_nchw_to_pixels_f32(ctx, s, src, dst, batch, channels, pixels));
    }

    @Override
    public void sumRows(String op, MemorySegment x, MemorySegment out, int rows, int cols) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_sum_rows_f32(ctx, s, x, out, rows, cols, 0f));
    }

    @Override
    public void zero(String op, MemorySegment x, long n) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fill_f32(ctx, s, x, n, 0f));
    }

    @Override
    public void gemm(String op, boolean transA, boolean transB, int m, int n, int k, MemorySegment a, MemorySegment b,
                     MemorySegment c) {
        gemms.f32(op, transA, transB, m, n, k, 1f, a, b, 0f, c);
    }
}
