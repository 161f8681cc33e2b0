package org.edgeq.quant.core;

/**
 * Scale and zero point of one uniform affine integer format (value = scale · (code − zeroPoint)), and the one rule
 * that makes them from a range, for post-training quantization and QAT alike. The rule is torch.ao's
 * ({@code _calculate_qparams}):
 * <ul>
 *   <li>the range is first widened to contain 0, so that 0 is exact: lo = min(min, 0), hi = max(max, 0);</li>
 *   <li>symmetric: scale = max(−lo, hi) / ((qmax − qmin) / 2), zero point 0;</li>
 *   <li>asymmetric: scale = (hi − lo) / (qmax − qmin), zero point = qmin − round(lo / scale), clamped to the grid;</li>
 *   <li>the scale is at least {@link #MIN_SCALE} (so an all-zero range gets that scale, not a division by 0);</li>
 *   <li>every rounding, here and in {@link #quantize}, is half to even in float32 (Math.rint), as torch.round.</li>
 * </ul>
 */
public record AffineParams(int bits, boolean symmetric, float scale, int zeroPoint) {

    /** Smallest scale the rule gives: float32 machine epsilon, torch.ao's {@code eps}. */
    public static final float MIN_SCALE = Math.ulp(1f);

    public AffineParams {
        new IntegerGrid(bits, symmetric);
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("affine scale must be positive and finite, got " + scale);
    }

    /** The parameters for values in [min, max]. */
    public static AffineParams forRange(float min, float max, int bits, boolean symmetric) {
        return forRange(min, max, new IntegerGrid(bits, symmetric));
    }

    /** The parameters for values in [min, max] on {@code grid}. */
    public static AffineParams forRange(float min, float max, IntegerGrid grid) {
        if (!(min <= max)) throw new IllegalArgumentException("range min " + min + " exceeds max " + max);
        float scale = scale(min, max, grid);
        return new AffineParams(grid.bits(), grid.symmetric(), scale, zeroPoint(min, scale, grid));
    }

    /** The scale of the rule for [min, max]; the allocation-free half of {@link #forRange} for per-step callers. */
    public static float scale(float min, float max, IntegerGrid grid) {
        return scale(min, max, grid.qmin(), grid.qmax(), grid.symmetric());
    }

    /** {@link #scale(float, float, IntegerGrid)} for codes in [qmin, qmax] (what a backend's observer op gets). */
    public static float scale(float min, float max, int qmin, int qmax, boolean symmetric) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float s = symmetric ? Math.max(-lo, hi) / ((qmax - qmin) / 2f) : (hi - lo) / (qmax - qmin);
        return Math.max(s, MIN_SCALE);
    }

    /** The zero point of the rule for a range starting at {@code min} with {@code scale}. */
    public static int zeroPoint(float min, float scale, IntegerGrid grid) {
        return zeroPoint(min, scale, grid.qmin(), grid.qmax(), grid.symmetric());
    }

    /** {@link #zeroPoint(float, float, IntegerGrid)} for codes in [qmin, qmax]. */
    public static int zeroPoint(float min, float scale, int qmin, int qmax, boolean symmetric) {
        if (symmetric) return 0;
        double z = qmin - Math.rint(Math.min(min, 0f) / scale);
        return (int) Math.max(qmin, Math.min(qmax, z));
    }

    public IntegerGrid grid() {
        return new IntegerGrid(bits, symmetric);
    }

    public int codeMin() {
        return IntegerGrid.qmin(bits, symmetric);
    }

    public int codeMax() {
        return IntegerGrid.qmax(bits, symmetric);
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
