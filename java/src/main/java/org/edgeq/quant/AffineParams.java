package org.edgeq.quant;

/**
 * Scale and zero point of one uniform affine integer format (value = scale · (code − zeroPoint)), and the rule
 * that makes them from a range.
 *
 * <p>Symmetric: zero point 0 and the narrow signed range [−(2^(b−1) − 1), 2^(b−1) − 1] (the lowest code is left
 * unused so that +max and −max are both exact; needs b ≥ 2), scale = max(|min|, |max|) / (2^(b−1) − 1).
 * Asymmetric: unsigned codes [0, 2^b − 1], the range first widened to contain 0 (so 0 is exact, as in PyTorch),
 * scale = (max − min) / (2^b − 1), zero point = round(−min / scale). A range of width 0 gets scale 1.
 * Rounding is half to even (Math.rint), as torch.round.
 */
public record AffineParams(int bits, boolean symmetric, float scale, int zeroPoint) {

    public AffineParams {
        WeightQuantizer.checkBits(bits, symmetric ? 2 : 1, 16);
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("affine scale must be positive and finite, got " + scale);
    }

    /** The parameters for values in [min, max]. */
    public static AffineParams forRange(float min, float max, int bits, boolean symmetric) {
        WeightQuantizer.checkBits(bits, symmetric ? 2 : 1, 16);
        if (!(min <= max)) throw new IllegalArgumentException("range min " + min + " exceeds max " + max);
        if (symmetric) {
            float m = Math.max(Math.abs(min), Math.abs(max));
            int qmax = (1 << (bits - 1)) - 1;
            float scale = m > 0 ? m / qmax : 1f;
            return new AffineParams(bits, true, scale, 0);
        }
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        int qmax = (1 << bits) - 1;
        float scale = hi > lo ? (hi - lo) / qmax : 1f;
        if (!(scale > 0)) scale = Float.MIN_NORMAL;
        int zp = (int) Math.max(0, Math.min(qmax, Math.rint(-lo / scale)));
        return new AffineParams(bits, false, scale, zp);
    }

    public int codeMin() {
        return symmetric ? -((1 << (bits - 1)) - 1) : 0;
    }

    public int codeMax() {
        return symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** The code for {@code v}: rint(v / scale) + zeroPoint, clamped to the code range. */
    public int quantize(float v) {
        double c = Math.rint(v / scale) + zeroPoint;
        return (int) Math.max(codeMin(), Math.min(codeMax(), c));
    }

    public float dequantize(int code) {
        return scale * (code - zeroPoint);
    }

    /** quantize then dequantize. */
    public float fakeQuantize(float v) {
        return dequantize(quantize(v));
    }
}
