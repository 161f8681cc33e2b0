package org.edgeq.backend.cpu;

import java.util.function.IntUnaryOperator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Splits a plane of even width into its four quarter planes by row and column parity (quarter (p, c) holds the
 * elements at odd-or-even rows p and columns c, row after row) and joins them back: the layout in which
 * {@link WinogradConvolution}'s tiles become contiguous runs. Vectorized with two-vector lane selections when half a
 * row is a multiple or a divisor of the vector length (every power-of-two width), element by element otherwise.
 */
final class PlaneQuarters {
    private static final VectorSpecies<Float> FS = CpuElementwise.FS;
    private static final int V = FS.length();
    /** Lanes of two concatenated vectors: the even elements, the odd ones, and the two halves of their zip. */
    private static final float[] EVEN = lanes(l -> 2 * l), ODD = lanes(l -> 2 * l + 1);
    private static final float[] ZIP_LOW = lanes(l -> (l % 2) * V + l / 2), ZIP_HIGH = lanes(l -> (l % 2) * V + V / 2 + l / 2);

    private final int height, width, half, stride;
    /** For a half row dividing V: the even and odd rows of two vectors of rows, and the inverse interleaving. */
    private final float[] evenRows, oddRows, interleaveLow, interleaveHigh;

    /** Quarters of a height x width plane, quarter (p, c) starting at index (2p + c) * stride (plus a caller's base). */
    PlaneQuarters(int height, int width, int stride) {
        this.height = height;
        this.width = width;
        this.half = width / 2;
        this.stride = stride;
        int h = Math.max(1, half);
        evenRows = lanes(l -> 2 * (l / h) * h + l % h);
        oddRows = lanes(l -> (2 * (l / h) + 1) * h + l % h);
        interleaveLow = lanes(l -> interleaved(l / h, l % h, h));
        interleaveHigh = lanes(l -> interleaved(V / h + l / h, l % h, h));
    }

    /** Lane of [even rows, odd rows] that row r (of 2V / h rows of h elements) comes from. */
    private static int interleaved(int r, int offset, int h) {
        return (r % 2) * V + (r / 2) * h + offset;
    }

    private static float[] lanes(IntUnaryOperator index) {
        float[] out = new float[V];
        for (int l = 0; l < V; l++) out[l] = index.applyAsInt(l);
        return out;
    }

    private boolean byRows() {
        return half >= V && half % V == 0;
    }

    /** Rows handled per step when half a row divides V: two vectors of quarter elements per parity. */
    private int rowsPerChunk() {
        return half > 0 && V % half == 0 && !byRows() ? 2 * V / half : 0;
    }

    /** quarters[base + (2p + c) * stride + rho * half + k] = plane[(2 rho + p) * width + 2k + c]. */
    void split(float[] plane, float[] quarters, int base) {
        int y = 0;
        if (byRows()) {
            FloatVector even = FloatVector.fromArray(FS, EVEN, 0), odd = FloatVector.fromArray(FS, ODD, 0);
            for (; y < height; y++) {
                int to = base + 2 * (y & 1) * stride + (y >> 1) * half;
                for (int k = 0, from = y * width; k < half; k += V, from += 2 * V) {
                    FloatVector a = FloatVector.fromArray(FS, plane, from), b = FloatVector.fromArray(FS, plane, from + V);
                    even.selectFrom(a, b).intoArray(quarters, to + k);
                    odd.selectFrom(a, b).intoArray(quarters, to + stride + k);
                }
            }
        } else if (rowsPerChunk() > 0) {
            FloatVector even = FloatVector.fromArray(FS, EVEN, 0), odd = FloatVector.fromArray(FS, ODD, 0);
            FloatVector evenRow = FloatVector.fromArray(FS, evenRows, 0), oddRow = FloatVector.fromArray(FS, oddRows, 0);
            for (int rows = rowsPerChunk(); y + rows <= height; y += rows) {
                int from = y * width, to = base + (y >> 1) * half;
                FloatVector a = FloatVector.fromArray(FS, plane, from), b = FloatVector.fromArray(FS, plane, from + V);
                FloatVector c = FloatVector.fromArray(FS, plane, from + 2 * V), d = FloatVector.fromArray(FS, plane, from + 3 * V);
                // Columns first (each vector of rows keeps its row order), then the rows by parity.
                FloatVector e1 = even.selectFrom(a, b), e2 = even.selectFrom(c, d);
                FloatVector o1 = odd.selectFrom(a, b), o2 = odd.selectFrom(c, d);
                evenRow.selectFrom(e1, e2).intoArray(quarters, to);
                evenRow.selectFrom(o1, o2).intoArray(quarters, to + stride);
                oddRow.selectFrom(e1, e2).intoArray(quarters, to + 2 * stride);
                oddRow.selectFrom(o1, o2).intoArray(quarters, to + 3 * stride);
            }
        }
        for (; y < height; y++) {
            int even = base + 2 * (y & 1) * stride + (y >> 1) * half, from = y * width;
            for (int k = 0; k < half; k++) {
                quarters[even + k] = plane[from + 2 * k];
                quarters[even + stride + k] = plane[from + 2 * k + 1];
            }
        }
    }

    /** The inverse of {@link #split} with base 0: plane[(2 rho + p) * width + 2k + c] = quarters[(2p + c) * stride + rho * half + k]. */
    void join(float[] quarters, float[] plane) {
        int y = 0;
        if (byRows()) {
            FloatVector zipLow = FloatVector.fromArray(FS, ZIP_LOW, 0), zipHigh = FloatVector.fromArray(FS, ZIP_HIGH, 0);
            for (; y < height; y++) {
                int from = 2 * (y & 1) * stride + (y >> 1) * half;
                for (int k = 0, to = y * width; k < half; k += V, to += 2 * V) {
                    FloatVector e = FloatVector.fromArray(FS, quarters, from + k), o = FloatVector.fromArray(FS, quarters, from + stride + k);
                    zipLow.selectFrom(e, o).intoArray(plane, to);
                    zipHigh.selectFrom(e, o).intoArray(plane, to + V);
                }
            }
        } else if (rowsPerChunk() > 0) {
            FloatVector zipLow = FloatVector.fromArray(FS, ZIP_LOW, 0), zipHigh = FloatVector.fromArray(FS, ZIP_HIGH, 0);
            FloatVector low = FloatVector.fromArray(FS, interleaveLow, 0), high = FloatVector.fromArray(FS, interleaveHigh, 0);
            for (int rows = rowsPerChunk(); y + rows <= height; y += rows) {
                int from = (y >> 1) * half, to = y * width;
                FloatVector e0 = FloatVector.fromArray(FS, quarters, from), o0 = FloatVector.fromArray(FS, quarters, from + stride);
                FloatVector e1 = FloatVector.fromArray(FS, quarters, from + 2 * stride), o1 = FloatVector.fromArray(FS, quarters, from + 3 * stride);
                // Rows back in order (even columns, then odd columns), then the columns zipped.
                FloatVector x1 = low.selectFrom(e0, e1), x2 = high.selectFrom(e0, e1);
                FloatVector z1 = low.selectFrom(o0, o1), z2 = high.selectFrom(o0, o1);
                zipLow.selectFrom(x1, z1).intoArray(plane, to);
                zipHigh.selectFrom(x1, z1).intoArray(plane, to + V);
                zipLow.selectFrom(x2, z2).intoArray(plane, to + 2 * V);
                zipHigh.selectFrom(x2, z2).intoArray(plane, to + 3 * V);
            }
        }
        for (; y < height; y++) {
            int from = 2 * (y & 1) * stride + (y >> 1) * half, to = y * width;
            for (int k = 0; k < half; k++) {
                plane[to + 2 * k] = quarters[from + k];
                plane[to + 2 * k + 1] = quarters[from + stride + k];
            }
        }
    }
}
