package org.edgeq.quant.core;

/**
 * The integer codes of one affine quantization format, the one place their bounds are defined: symmetric grids are
 * signed and narrow, [−(2^(b−1) − 1), 2^(b−1) − 1] (the lowest code is left unused so that +max and −max are both
 * exact and quantization commutes with negation; needs b ≥ 2), asymmetric ones unsigned, [0, 2^b − 1].
 */
public record IntegerGrid(int bits, boolean symmetric) {

    /** The widest grid: codes of up to 16 bits fit the int arithmetic of every kernel and file format. */
    public static final int MAX_BITS = 16;

    public IntegerGrid {
        checkBits(bits, symmetric ? 2 : 1, MAX_BITS);
    }

    /** Refuses a width outside [min, max] with the one message every quantizer gives. */
    public static void checkBits(int bits, int min, int max) {
        if (bits < min || bits > max) throw new IllegalArgumentException("bits must be in " + min + ".." + max + ", got " + bits);
    }

    /** Smallest code. */
    public int qmin() {
        return qmin(bits, symmetric);
    }

    /** Largest code. */
    public int qmax() {
        return qmax(bits, symmetric);
    }

    /** Smallest code of the grid of {@code bits} (unchecked: for per-element callers holding a checked width). */
    public static int qmin(int bits, boolean symmetric) {
        return symmetric ? -((1 << (bits - 1)) - 1) : 0;
    }

    /** Largest code of the grid of {@code bits} (unchecked, as {@link #qmin(int, boolean)}). */
    public static int qmax(int bits, boolean symmetric) {
        return symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }
}
