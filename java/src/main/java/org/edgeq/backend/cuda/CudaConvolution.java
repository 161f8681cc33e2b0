package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.bindings.edgeq.EdgeqNative;

import java.lang.foreign.MemorySegment;

/**
 * Convolution on the device as one GEMM over the whole batch. With P = outHeight * outWidth pixels per image,
 * R = inChannels * kernel^2 and O = outChannels:
 * forward: im2col x -> cols [N P, R]; pixels [N P, O] = cols W^T; y = pixels_to_nchw(pixels) + bias.
 * backward: dy' = nchw_to_pixels(dy) [N P, O]; dBias = sumRows(dy'); im2col x -> cols; dW [O, R] = dy'^T cols;
 * dcols = dy' W [N P, R]; dx = col2im(dcols).
 * The workspace holds cols and the pixel matrix: N P (R + O) floats.
 */
final class CudaConvolution {
    private final DeviceCalls device;
    private final CudaGemms gemms;

    CudaConvolution(DeviceCalls device, CudaGemms gemms) {
        this.device = device;
        this.gemms = gemms;
    }

    static long workspaceFloats(ConvGeometry g) {
        long rows = (long) g.batch() * g.outHeight() * g.outWidth();
        return rows * ((long) g.patchSize() + g.outChannels());
    }

    /** The pixel matrix right after cols. */
    private static MemorySegment pixels(MemorySegment workspace, ConvGeometry g) {
        long rows = (long) g.batch() * g.outHeight() * g.outWidth();
        return MemorySegment.ofAddress(workspace.address() + rows * g.patchSize() * Float.BYTES);
    }

    void forward(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, ConvGeometry g, MemorySegment ws) {
        String op = "conv2d";
        if (g.batch() == 0) return;
        int rows = g.batch() * g.outHeight() * g.outWidth(), r = g.patchSize(), o = g.outChannels();
        MemorySegment cols = ws, pixels = pixels(ws, g);
        im2col(op, x, cols, g);
        gemms.f32(op, false, true, rows, o, r, 1f, cols, w, 0f, pixels);
        MemorySegment b = bias == null ? MemorySegment.NULL : bias;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_pixels_to_nchw_f32(ctx, s, pixels, b, y, g.batch(), o,
                g.outHeight() * g.outWidth()));
    }

    void backward(MemorySegment x, MemorySegment w, MemorySegment dy, MemorySegment dx, MemorySegment dw,
                  MemorySegment dBias, ConvGeometry g, MemorySegment ws) {
        String op = "conv2dBackward";
        int o = g.outChannels(), r = g.patchSize();
        if (g.batch() == 0) {
            device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fill_f32(ctx, s, dw, (long) o * r, 0f));
            if (dBias != null) device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fill_f32(ctx, s, dBias, o, 0f));
            return;
        }
        int p = g.outHeight() * g.outWidth(), rows = g.batch() * p;
        MemorySegment cols = ws, dyPixels = pixels(ws, g);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_nchw_to_pixels_f32(ctx, s, dy, dyPixels, g.batch(), o, p));
        if (dBias != null) {
            device.launch(op, (ctx, s) -> EdgeqNative.edgeq_sum_rows_f32(ctx, s, dyPixels, dBias, rows, o, 0f));
        }
        im2col(op, x, cols, g);
        gemms.f32(op, true, false, o, r, rows, 1f, dyPixels, cols, 0f, dw);
        if (dx != null) {
            gemms.f32(op, false, false, rows, r, o, 1f, dyPixels, w, 0f, cols);
            device.launch(op, (ctx, s) -> EdgeqNative.edgeq_col2im_f32(ctx, s, cols, dx, g.batch(), g.inChannels(), g.height(),
                    g.width(), g.kernel(), g.stride(), g.padding()));
        }
    }

    private void im2col(String op, MemorySegment x, MemorySegment cols, ConvGeometry g) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_im2col_f32(ctx, s, x, cols, g.batch(), g.inChannels(), g.height(),
                g.width(), g.kernel(), g.stride(), g.padding()));
    }
}
