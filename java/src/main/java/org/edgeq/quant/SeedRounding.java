package org.edgeq.quant;

import java.util.Arrays;

/**
 * The seed's rounding rules for one {@link LandmarkSet}, precomputed: scipy 1.10's {@code binned_statistic} over
 * the midpoints of consecutive stored entries (rounding_quant, multipoint's quantize_weights), rounding_quant_old's
 * element rule where scipy refuses the set, and stochastic_quant's bracket.
 *
 * <p>scipy bins a float32 sample against edges cast to the sample's dtype, so the midpoints ((q[i−1] + q[i]) / 2,
 * the sum in the set's dtype) become float32 edges. It refuses edges that are not strictly increasing (numpy's
 * digitize raises on non-monotonic edges, a zero smallest gap raises, a negative one gives log10 of a negative
 * number) and a single edge; those sets take the element rule.
 */
final class SeedRounding {
    private final int size;
    private final boolean float32;
    private final float[] edges;
    private final boolean binned;
    private final int decimals;
    private final float lastRounded;
    /** Distinct entries ascending, and the first stored index of each. */
    private final double[] sortedValues;
    private final int[] firstIndex;

    SeedRounding(double[] entries, boolean float32) {
        size = entries.length;
        this.float32 = float32;
        edges = new float[Math.max(0, size - 1)];
        for (int i = 1; i < size; i++) {
            double mid = float32 ? (double) ((float) entries[i] + (float) entries[i - 1]) / 2.0 : (entries[i] + entries[i - 1]) / 2.0;
            edges[i - 1] = (float) mid;
        }
        float minGap = Float.POSITIVE_INFINITY;
        boolean increasing = edges.length >= 2;
        for (int i = 1; i < edges.length; i++) {
            float gap = edges[i] - edges[i - 1];
            if (!(gap > 0)) increasing = false;
            minGap = Math.min(minGap, gap);
        }
        binned = increasing;
        if (binned) {
            decimals = (int) -NumpyMath.log10(minGap) + 6;
            lastRounded = NumpyMath.aroundScalar(edges[edges.length - 1], decimals);
        } else {
            decimals = 0;
            lastRounded = Float.NaN;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : Double.compare(entries[a], entries[b]) != 0 ? Double.compare(entries[a], entries[b]) : Integer.compare(a, b));
        double[] values = new double[size];
        int[] first = new int[size];
        int distinct = 0;
        for (int k = 0; k < size; k++) {
            double v = entries[order[k]];
            if (distinct > 0 && values[distinct - 1] == v) continue;
            values[distinct] = v;
            first[distinct] = order[k];
            distinct++;
        }
        sortedValues = Arrays.copyOf(values, distinct);
        firstIndex = Arrays.copyOf(first, distinct);
    }

    boolean binned() {
        return binned;
    }

    int nearest(float w) {
        if (binned) return binIndex(w);
        // rounding_quant_old: ends by stored position, else the nearer neighbour (double arithmetic), ties up
        if (w <= sortedValues[0]) return 0;
        if (w >= sortedValues[sortedValues.length - 1]) return size - 1;
        int above = ceiling(w);
        if (sortedValues[above] == w) return firstIndex[above];
        int below = above - 1;
        return (w - sortedValues[below]) < (sortedValues[above] - w) ? firstIndex[below] : firstIndex[above];
    }

    LandmarkSet.Bracket bracket(float w) {
        if (w <= sortedValues[0]) return new LandmarkSet.Bracket(0, 0, 1);
        if (w >= sortedValues[sortedValues.length - 1]) return new LandmarkSet.Bracket(size - 1, size - 1, 1);
        int above = ceiling(w);
        if (sortedValues[above] == w) return new LandmarkSet.Bracket(firstIndex[above], firstIndex[above], 1);
        int below = above - 1;
        double lower = sortedValues[below];
        double upper = sortedValues[above];
        // numpy: float32 entry − Python float is float64, but float32 − float32 stays float32
        double width = float32 ? (double) ((float) upper - (float) lower) : upper - lower;
        return new LandmarkSet.Bracket(firstIndex[below], firstIndex[above], (upper - w) / width);
    }

    /** np.digitize (the count of edges ≤ w) with scipy's rightmost-edge shift. */
    private int binIndex(float w) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= w) lo = mid + 1;
            else hi = mid;
        }
        float last = edges[edges.length - 1];
        if (w >= last && NumpyMath.aroundInArray(w, decimals) == lastRounded) lo--;
        return lo;
    }

    /** First index of sortedValues whose value is ≥ w (w lies strictly inside the range here). */
    private int ceiling(double w) {
        int lo = 0;
        int hi = sortedValues.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedValues[mid] < w) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
