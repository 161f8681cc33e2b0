package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;

import java.lang.foreign.MemorySegment;

/**
 * Convolution on the device as one GEMM over the whole batch. With P = outHeight * outWidth pixels per image,
 * R = inChannels * kernel^2 and O = outChannels:
 * forward: im2col x -> cols [N P, R]; pixels [N P, O] = cols W^T; y = pixels_to_nchw(pixels) + bias.
 * backward: dy' = nchw_to_pixels(dy) [N P, O]; dBias = sumRows(dy'); im2col x -> cols; dW [O, R] = dy'^T cols;
 * dcols = dy' W [N P, R]; dx = col2im(dcols).
 * The workspace holds cols and then, from the next 256-byte boundary, the pixel matrix: about N P (R + O) floats.
 */
final class CudaConvolution {
    private final ConvolutionSteps steps;

    CudaConvolution(ConvolutionSteps steps) {
        this.steps = steps;
    }

    /** Floats in a 256-byte block: the alignment cudaMalloc gives and cuBLASLt's heuristic assumes by default. */
    private static final long ALIGN_FLOATS = 64;

    static long workspaceFloats(ConvGeometry g) {
        long rows = (long) g.batch() * g.outHeight() * g.outWidth();
        return pixelsOffsetFloats(g) + rows * g.outChannels();
    }

    /**
     * Where the pixel matrix starts: after the cols matrix, rounded up to 256 bytes, so that a GEMM operand there is
     * as aligned as a tensor of its own (float4 paths of our kernel, cuBLASLt's fastest algorithms).
     */
    static long pixelsOffsetFloats(ConvGeometry g) {
        long cols = (long) g.batch() * g.outHeight() * g.outWidth() * g.patchSize();
        return (cols + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    }

    private static MemorySegment pixels(MemorySegment workspace, ConvGeometry g) {
        return MemorySegment.ofAddress(workspace.address() + pixelsOffsetFloats(g) * Float.BYTES);
    }

    /** bias may be null. */
    void forward(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, ConvGeometry g, MemorySegment ws) {
        String op = "conv2d";
        if (g.batch() == 0) return;
        int p = g.outHeight() * g.outWidth(), rows = g.batch() * p, r = g.patchSize(), o = g.outChannels();
        MemorySegment pixels = pixels(ws, g);
        steps.im2col(op, x, ws, g);
        steps.gemm(op, false, true, rows, o, r, ws, w, pixels);
        steps.pixelsToNchw(op, pixels, bias, y, g.batch(), o, p);
    }

    /** dx and dBias may be null. */
    void backward(MemorySegment x, MemorySegment w, MemorySegment dy, MemorySegment dx, MemorySegment dw,
                  MemorySegment dBias, ConvGeometry g, MemorySegment ws) {
        String op = "conv2dBackward";
        int o = g.outChannels(), r = g.patchSize();
        if (g.batch() == 0) {
            steps.zero(op, dw, (long) o * r);
            if (dBias != null) steps.zero(op, dBias, o);
            return;
        }
        int p = g.outHeight() * g.outWidth(), rows = g.batch() * p;
        MemorySegment dyPixels = pixels(ws, g);
        steps.nchwToPixels(op, dy, dyPixels, g.batch(), o, p);
        if (dBias != null) steps.sumRows(op, dyPixels, dBias, rows, o);
        steps.im2col(op, x, ws, g);
        steps.gemm(op, true, false, o, r, rows, dyPixels, ws, dw);
        if (dx != null) {
            steps.gemm(op, false, false, rows, r, o, dyPixels, w, ws);
            steps.col2im(op, ws, dx, g);
        }
    }
}
