package org.edgeq.hwsim;

import org.edgeq.quant.core.IntegerGrid;

/**
 * The per-tensor integer grid of one activation tensor (a weight layer's input), as the fake quantizer holds it:
 * value = scale * (code - zeroPoint) with codes in [qmin, qmax]. Codes are stored one per signed byte: a symmetric
 * grid as is, an asymmetric (unsigned) grid shifted down by 2^(bits-1), as TFLite's int8 activations are, so that
 * the integer GEMM multiplies signed codes and the zero point moves into an offset term (gemmlowp's scheme).
 *
 * @param bits      2..8
 * @param symmetric codes in [-(2^(bits-1) - 1), 2^(bits-1) - 1] with zero point 0; else [0, 2^bits - 1]
 * @param scale     step, > 0
 * @param zeroPoint code of the real value 0 in [qmin, qmax] (0 when symmetric)
 */
public record ActivationGrid(int bits, boolean symmetric, float scale, int zeroPoint) {

    public ActivationGrid {
        if (bits < 2 || bits > 8) throw new IllegalArgumentException("activation bits must be 2..8 for integer inference, got " + bits);
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("activation scale must be finite and > 0, got " + scale);
        int lo = IntegerGrid.qmin(bits, symmetric);
        int hi = IntegerGrid.qmax(bits, symmetric);
        if (symmetric && zeroPoint != 0) throw new IllegalArgumentException("a symmetric grid has zero point 0, got " + zeroPoint);
        if (zeroPoint < lo || zeroPoint > hi) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " is outside the " + bits + "-bit grid [" + lo + ", " + hi + "]");
        }
    }

    public int qmin() {
        return IntegerGrid.qmin(bits, symmetric);
    }

    public int qmax() {
        return IntegerGrid.qmax(bits, symmetric);
    }

    /** What is subtracted from a code to store it in a signed byte: 2^(bits-1) for an unsigned grid, else 0. */
    public int storageOffset() {
        return symmetric ? 0 : 1 << (bits - 1);
    }

    /** The zero point as stored. */
    public int storedZero() {
        return zeroPoint - storageOffset();
    }

    public int storedMin() {
        return qmin() - storageOffset();
    }

    public int storedMax() {
        return qmax() - storageOffset();
    }

    /**
     * The stored code of {@code x}, computed as EdgeQ's fake quantizer computes it (rint of x times the float
     * reciprocal of the scale, clamped relative to the zero point), so that integer inference starts from exactly
     * the codes the fake-quant model uses.
     */
    public byte quantize(float x) {
        float r = (float) Math.rint(x * (1f / scale));
        float lo = qmin() - zeroPoint, hi = qmax() - zeroPoint;
        r = r < lo ? lo : r > hi ? hi : r; // NaN stays NaN and becomes code 0 + zeroPoint below
        int code = (r != r ? 0 : (int) r) + zeroPoint;
        return (byte) (code - storageOffset());
    }

    /** The real value of a stored code. */
    public float dequantize(byte stored) {
        return scale * (float) (stored - storedZero());
    }
}
