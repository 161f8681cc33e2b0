package org.edgeq.backend;

/**
 * The shapes of one 2-D convolution over an NCHW batch: input [batch, inChannels, height, width], weight
 * [outChannels, inChannels, kernel, kernel], output [batch, outChannels, outHeight, outWidth]. Square kernels,
 * one stride and one zero-padding for both axes, as every model in EdgeQ uses.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width,
                           int outChannels, int kernel, int stride, int padding) {
    public ConvGeometry {
        if (batch < 0 || inChannels <= 0 || height <= 0 || width <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("kernel " + kernel + " larger than padded input " + height + "x" + width + " (padding " + padding + ")");
        }
    }

    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /** Rows of the im2col matrix: inChannels * kernel * kernel. */
    public int patchSize() {
        return inChannels * kernel * kernel;
    }

    public ConvGeometry withBatch(int newBatch) {
        return new ConvGeometry(newBatch, inChannels, height, width, outChannels, kernel, stride, padding);
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return (long) batch * outChannels * outHeight() * outWidth() * patchSize();
    }
}
