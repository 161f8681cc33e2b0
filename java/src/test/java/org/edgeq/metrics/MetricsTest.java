package org.edgeq.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metrics agree with hand-worked values. */
class MetricsTest {

    @Test
    void accuracyCountsEqualEntries() {
        assertEquals(0.75, Metrics.accuracy(new int[] {1, 2, 0, 1}, new int[] {1, 2, 0, 0}));
    }

    @Test
    void countCorrectUsesTheFirstMaximumOfEachRow() {
        float[] logits = {0.1f, 0.9f, 0.0f, /* row 1 ties: first wins */ 0.5f, 0.5f, 0.1f};
        assertEquals(2, Metrics.countCorrect(logits, 2, 3, new int[] {1, 0}, 0));
        assertEquals(1, Metrics.countCorrect(logits, 2, 3, new int[] {1, 1}, 0));
    }

    @Test
    void r2AndMseMatchHandComputedValues() {
        float[] t = {1, 2, 3, 4};
        float[] p = {1, 2, 3, 5};
        // SS_res = 1, SS_tot = 5, R² = 0.8, MSE = 0.25.
        assertEquals(0.8, Metrics.r2(p, t), 1e-12);
        assertEquals(0.25, Metrics.meanSquaredError(p, t), 1e-12);
    }

    @Test
    void streamingR2EqualsOneShotR2AndSurvivesALargeMean() {
        float[] t = new float[1000];
        float[] p = new float[1000];
        for (int i = 0; i < t.length; i++) {
            t[i] = 10_000f + (i % 17) * 0.5f;
            p[i] = t[i] + ((i % 3) - 1) * 0.25f;
        }
        RegressionAccumulator acc = new RegressionAccumulator();
        acc.add(java.util.Arrays.copyOfRange(p, 0, 400), t, 0, 400);
        acc.add(java.util.Arrays.copyOfRange(p, 400, 1000), t, 400, 600);
        double direct = 0;
        double mean = 0;
        for (float v : t) mean += v;
        mean /= t.length;
        double res = 0;
        for (int i = 0; i < t.length; i++) {
            res += (p[i] - t[i]) * (double) (p[i] - t[i]);
            direct += (t[i] - mean) * (t[i] - mean);
        }
        assertEquals(1 - res / direct, acc.r2(), 1e-9);
        assertTrue(acc.r2() > 0.9);
    }

    @Test
    void r2OfConstantTargetsIsUndefined() {
        assertTrue(Double.isNaN(Metrics.r2(new float[] {1, 2}, new float[] {3, 3})));
    }
}
