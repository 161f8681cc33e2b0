package org.edgeq.hwsim;

/**
 * Requantization arithmetic exactly as gemmlowp (fixedpoint.h) and TensorFlow Lite (quantization_util.cc,
 * common.h) do it: a real multiplier M becomes a Q31 integer multiplier and a power-of-two exponent
 * ({@link #quantizeMultiplier}), and an int32 accumulator is scaled by it with a saturating rounding doubling high
 * multiply followed by a rounding right shift ({@link #multiplyByQuantizedMultiplier}).
 *
 * <p>Rounding, as the integer code defines it: {@link #saturatingRoundingDoublingHighMul} returns
 * floor(a * b / 2^31 + 1/2) (ties toward +infinity), saturated at Integer.MAX_VALUE for the one overflow case
 * a = b = Integer.MIN_VALUE; {@link #roundingDivideByPOT} rounds x / 2^e to nearest with ties away from zero.
 */
public final class FixedPoint {
    private FixedPoint() {
    }

    /**
     * A real multiplier as multiplier * 2^(shift - 31), multiplier in [2^30, 2^31) (or 0).
     *
     * @param multiplier Q31 significand
     * @param shift      exponent: positive shifts left before the high multiply, negative right after it
     */
    public record QuantizedMultiplier(int multiplier, int shift) {
        /** The real number this represents. */
        public double value() {
            return multiplier * Math.pow(2, shift - 31);
        }
    }

    /**
     * TFLite's QuantizeMultiplier: frexp(m) = q * 2^shift with q in [0.5, 1), q_fixed = round(q * 2^31) (halves away
     * from zero), q_fixed = 2^31 renormalised to 2^30 with shift + 1, and shifts below -31 flushed to zero.
     *
     * @throws IllegalArgumentException for a negative or non-finite multiplier, or one of 2^30 or more (its left
     *                                  shift would overflow any accumulator but zero)
     */
    public static QuantizedMultiplier quantizeMultiplier(double m) {
        if (!(m >= 0) || Double.isInfinite(m)) throw new IllegalArgumentException("requantization multiplier must be finite and >= 0, got " + m);
        if (m == 0) return new QuantizedMultiplier(0, 0);
        if (m < Double.MIN_NORMAL) return new QuantizedMultiplier(0, 0); // frexp's shift is far below -31: flushed
        int shift = Math.getExponent(m) + 1; // frexp's exponent
        double q = Math.scalb(m, -shift); // in [0.5, 1)
        long qFixed = Math.round(q * (1L << 31)); // q > 0: Math.round's half-up is std::round's half-away-from-zero
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) return new QuantizedMultiplier(0, 0);
        if (shift > 30) throw new IllegalArgumentException("requantization multiplier " + m + " is 2^30 or more (shift " + shift + ")");
        return new QuantizedMultiplier((int) qFixed, shift);
    }

    /** gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2 * a * b, rounded, saturated. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31)); // Java's division truncates toward zero, as C++'s does
    }

    /** gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; exponent 0..31. */
    public static int roundingDivideByPOT(int x, int exponent) {
        if (exponent < 0 || exponent > 31) throw new IllegalArgumentException("exponent must be 0..31, got " + exponent);
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * TFLite's MultiplyByQuantizedMultiplier: RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^left,
     * multiplier), right) with left = max(shift, 0), right = max(-shift, 0). The left shift saturates here (in C++
     * it would overflow; TFLite's callers keep it in range).
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        int shifted = left == 0 ? x : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) x << left));
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), right);
    }

    /**
     * TFLite's MultiplyByQuantizedMultiplier when built with TFLITE_SINGLE_ROUNDING: (x * multiplier + 2^(30 - shift))
     * >> (31 - shift) in 64 bits, one rounding (halves toward +infinity) instead of two, saturated to int32. The
     * default two-step form rounds first at 2^-right of an output step, which moves a result by up to
     * 2^-(right+1) steps before the final rounding: noticeable when the multiplier is near 1 (right shift 1 or 2).
     */
    public static int multiplyByQuantizedMultiplierSingleRounding(int x, int multiplier, int shift) {
        if (shift < -31 || shift > 30) throw new IllegalArgumentException("shift must be -31..30, got " + shift);
        int total = 31 - shift;
        long result = ((long) x * multiplier + (1L << (total - 1))) >> total;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    }

    /**
     * The same value as {@link #multiplyByQuantizedMultiplier(int, int, int)} for a non-negative multiplier (as
     * {@link #quantizeMultiplier} makes them), in straight-line 64-bit arithmetic for the simulator's inner loop:
     * with q >= 0 the doubling high multiply cannot overflow and equals (x * q + 2^30) >> 31, and rounding-divide
     * by 2^e equals (v + 2^(e-1) - [v < 0]) >> e. Tested equal to the gemmlowp form.
     */
    public static int multiplyByQuantizedMultiplierFast(int x, int multiplier, int shift) {
        long v = x;
        if (shift > 0) v = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v << shift));
        long high = (v * multiplier + (1L << 30)) >> 31;
        if (shift >= 0) return (int) high;
        int e = -shift;
        return (int) ((high + (1L << (e - 1)) - (high >>> 63)) >> e);
    }

    /** {@link #multiplyByQuantizedMultiplier(int, int, int)} with a {@link QuantizedMultiplier}. */
    public static int multiplyByQuantizedMultiplier(int x, QuantizedMultiplier m) {
        return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
    }
}
