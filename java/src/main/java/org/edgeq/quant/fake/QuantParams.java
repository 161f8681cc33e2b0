package org.edgeq.quant.fake;

/**
 * Scale and zero point of a range, as torch.ao's observers compute them: the range is widened to include zero;
 * symmetric grids use scale = max(|min|, |max|) / ((qmax - qmin) / 2) (= max / qmax on the restricted grid) and
 * zero point 0, asymmetric ones
 * scale = (max - min) / (qmax - qmin) and zero point qmin - round(min / scale); the scale is at least float epsilon.
 */
final class QuantParams {
    static final float MIN_SCALE = Math.ulp(1f);

    private QuantParams() {
    }

    static float scale(float min, float max, QuantSpec spec) {
        float lo = Math.min(min, 0f), hi = Math.max(max, 0f);
        float s = spec.symmetric()
                ? Math.max(-lo, hi) / ((spec.qmax() - spec.qmin()) / 2f)
                : (hi - lo) / (spec.qmax() - spec.qmin());
        return Math.max(s, MIN_SCALE);
    }

    static int zeroPoint(float min, float scale, QuantSpec spec) {
        if (spec.symmetric()) return 0;
        long z = spec.qmin() - Math.round((double) Math.min(min, 0f) / scale);
        return (int) Math.min(Math.max(z, spec.qmin()), spec.qmax());
    }
}
