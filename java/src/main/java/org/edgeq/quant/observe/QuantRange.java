package org.edgeq.quant.observe;

import java.util.Arrays;

import org.edgeq.quant.core.AffineParams;

/** The clipping range an observer settled on: one [min, max] per channel (a single one for per-tensor). */
public record QuantRange(float[] min, float[] max) {

    public QuantRange {
        if (min.length != max.length || min.length == 0) throw new IllegalArgumentException("range needs equal, non-empty min and max arrays, got " + min.length + " and " + max.length);
        min = min.clone();
        max = max.clone();
    }

    /** A per-tensor range. */
    public static QuantRange of(float min, float max) {
        return new QuantRange(new float[]{min}, new float[]{max});
    }

    public int channels() {
        return min.length;
    }

    /** Affine parameters per channel for this range. */
    public AffineParams[] params(int bits, boolean symmetric) {
        AffineParams[] out = new AffineParams[min.length];
        for (int c = 0; c < out.length; c++) out[c] = AffineParams.forRange(min[c], max[c], bits, symmetric);
        return out;
    }

    @Override
    public String toString() {
        return "QuantRange[min=" + Arrays.toString(min) + ", max=" + Arrays.toString(max) + "]";
    }
}
