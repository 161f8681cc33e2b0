package org.edgeq.export;

import java.util.Locale;

/**
 * Where a tensor's stored values sit: every element in order ({@code dense}), or a bitmap of the non-zero elements
 * followed by only those ({@code bitmap}), which is smaller for pruned tensors.
 */
public enum TensorLayout {
    DENSE, BITMAP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TensorLayout fromWireName(String s) {
        for (TensorLayout l : values()) if (l.wireName().equals(s)) return l;
        throw new IllegalArgumentException("unknown layout '" + s + "' (expected dense or bitmap)");
    }
}
