package org.edgeq.export;

import java.util.Locale;

/**
 * How a tensor's values are stored in a compressed model file: raw FP32, codes into a codebook of FP32 values, or
 * affine integer codes ({@code value = scale[g] * (float) (code - zero[g])}), each per tensor or per group of rows.
 */
public enum TensorEncoding {
    F32, CODEBOOK, AFFINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TensorEncoding fromWireName(String s) {
        for (TensorEncoding e : values()) if (e.wireName().equals(s)) return e;
        throw new IllegalArgumentException("unknown encoding '" + s + "' (expected f32, codebook or affine)");
    }
}
