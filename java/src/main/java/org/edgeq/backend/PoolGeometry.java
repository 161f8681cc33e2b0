package org.edgeq.backend;

/** The shapes of one 2-D max pooling over an NCHW batch (square window, no padding). */
public record PoolGeometry(int batch, int channels, int height, int width, int window, int stride) {
    public PoolGeometry {
        if (batch < 0 || channels <= 0 || height < window || width < window || window <= 0 || stride <= 0) {
            throw new IllegalArgumentException("invalid pooling geometry " + this);
        }
    }

    public int outHeight() {
        return (height - window) / stride + 1;
    }

    public int outWidth() {
        return (width - window) / stride + 1;
    }

    public PoolGeometry withBatch(int newBatch) {
        return new PoolGeometry(newBatch, channels, height, width, window, stride);
    }
}
