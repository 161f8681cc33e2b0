package org.edgeq.quant.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;
import org.junit.jupiter.api.Test;

/** Calibration observers on data whose ranges can be worked out by hand. */
class ObserverTest {

    @Test
    void minMaxTracksExtremesAcrossBatchesPerTensorAndPerChannel() {
        MinMaxObserver t = new MinMaxObserver(Granularity.PER_TENSOR);
        t.observe(new float[]{1, -2, 3, 0}, new int[]{2, 2});
        t.observe(new float[]{5, 0, 0, 0}, new int[]{2, 2});
        assertArrayEquals(new float[]{-2}, t.range().min());
        assertArrayEquals(new float[]{5}, t.range().max());

        MinMaxObserver c = new MinMaxObserver(Granularity.PER_CHANNEL);
        c.observe(new float[]{1, -2, 3, 0}, new int[]{2, 2});
        c.observe(new float[]{5, 0, 0, -1}, new int[]{2, 2});
        assertArrayEquals(new float[]{-2, -1}, c.range().min());
        assertArrayEquals(new float[]{5, 3}, c.range().max());
    }

    @Test
    void movingAverageMovesByMomentumTowardsEachBatch() {
        MovingAverageMinMaxObserver o = new MovingAverageMinMaxObserver(Granularity.PER_TENSOR, 0.5f);
        o.observe(new float[]{0, 1}, new int[]{2});
        o.observe(new float[]{-1, 3}, new int[]{2});
        // min 0 + 0.5·(-1 - 0) = -0.5, max 1 + 0.5·(3 - 1) = 2
        assertEquals(-0.5f, o.range().min()[0]);
        assertEquals(2f, o.range().max()[0]);
        o.observe(new float[]{-0.5f, 2}, new int[]{2});
        assertEquals(-0.5f, o.range().min()[0]);
    }

    @Test
    void percentileInterpolatesLinearlyAndAveragesOverBatches() {
        PercentileObserver o = new PercentileObserver(Granularity.PER_TENSOR, 90);
        // {0..4}: 90th percentile at position 3.6 -> 3.6, 10th at 0.4 -> 0.4
        o.observe(new float[]{4, 0, 2, 1, 3}, new int[]{5});
        assertEquals(0.4f, o.range().min()[0], 1e-6f);
        assertEquals(3.6f, o.range().max()[0], 1e-6f);
        // {0, 10, ..., 40}: 4 and 36; the range is the mean over both batches
        o.observe(new float[]{0, 10, 20, 30, 40}, new int[]{5});
        assertEquals(2.2f, o.range().min()[0], 1e-5f);
        assertEquals(19.8f, o.range().max()[0], 1e-5f);
    }

    @Test
    void percentilePerChannelTakesEachRow() {
        PercentileObserver o = new PercentileObserver(Granularity.PER_CHANNEL, 75);
        o.observe(new float[]{0, 1, 2, 3, 4, 10, 20, 30, 40, 50}, new int[]{2, 5});
        // row 0: 25th at 1, 75th at 3; row 1: 20 and 40
        assertArrayEquals(new float[]{1, 20}, o.range().min(), 1e-6f);
        assertArrayEquals(new float[]{3, 40}, o.range().max(), 1e-6f);
    }

    @Test
    void mseRangeBeatsMinMaxOnDataWithOutliers() {
        Random r = new Random(5);
        float[] x = new float[20000];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        x[17] = 40f;
        x[99] = -35f;
        for (boolean symmetric : new boolean[]{true, false}) {
            MinMaxObserver mm = new MinMaxObserver(Granularity.PER_TENSOR);
            MseObserver mse = new MseObserver(Granularity.PER_TENSOR, 4, symmetric);
            mm.observe(x, new int[]{x.length});
            mse.observe(x, new int[]{x.length});
            double errMinMax = error(x, mm.scaleAndZeroPoint(4, symmetric)[0]);
            double errMse = error(x, mse.scaleAndZeroPoint(4, symmetric)[0]);
            assertTrue(errMse < errMinMax / 4, "symmetric " + symmetric + ": MSE range error " + errMse + " vs min-max " + errMinMax);
            assertTrue(mse.range().max()[0] < 40f);
        }
    }

    @Test
    void mseKeepsTheFullRangeForUniformData() {
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = -1 + 2f * i / (x.length - 1);
        MseObserver mse = new MseObserver(Granularity.PER_TENSOR, 4, true);
        mse.observe(x, new int[]{x.length});
        assertTrue(mse.range().max()[0] > 0.9f, "uniform data should not be clipped much: " + mse.range());
    }

    @Test
    void mseObserverAccumulatesBatchesAcrossAWideningRange() {
        MseObserver mse = new MseObserver(Granularity.PER_CHANNEL, 8, false);
        mse.observe(new float[]{0, 1, 0, 1}, new int[]{2, 2});
        mse.observe(new float[]{-2, 3, 0, 1}, new int[]{2, 2});
        QuantRange range = mse.range();
        assertEquals(2, range.channels());
        assertTrue(range.min()[0] <= -1.9f && range.max()[0] >= 2.9f, range.toString());
    }

    @Test
    void observersRefuseNothingObservedAndChangingChannelCounts() {
        assertThrows(IllegalStateException.class, () -> new MinMaxObserver(Granularity.PER_TENSOR).range());
        MinMaxObserver c = new MinMaxObserver(Granularity.PER_CHANNEL);
        c.observe(new float[]{1, 2}, new int[]{2, 1});
        assertThrows(IllegalArgumentException.class, () -> c.observe(new float[]{1, 2, 3}, new int[]{3}));
        assertThrows(IllegalArgumentException.class, () -> c.observe(new float[]{1, 2, 3}, new int[]{2}));
    }

    @Test
    void kindsCreateTheirObserversAndFreshCopiesStartEmpty() {
        for (ObserverKind k : ObserverKind.values()) {
            Observer o = k.create(Granularity.PER_TENSOR, 8, true);
            o.observe(new float[]{-1, 0, 1}, new int[]{3});
            assertThrows(IllegalStateException.class, () -> o.fresh().range());
            assertEquals(k, ObserverKind.fromCliName(k.cliName()));
        }
    }

    @Test
    void currentMinMaxKeepsOnlyTheNewestTensorsRange() {
        CurrentMinMaxObserver o = new CurrentMinMaxObserver(Granularity.PER_TENSOR);
        o.observe(new float[]{-4, 4}, new int[]{2});
        o.observe(new float[]{-1, 2}, new int[]{2});
        assertEquals(-1f, o.range().min()[0]);
        assertEquals(2f, o.range().max()[0]);
    }

    @Test
    void extremesFromABackendFoldLikeWholeTensorsAndNonFiniteChannelsKeepTheirRange() {
        MovingAverageMinMaxObserver whole = new MovingAverageMinMaxObserver(Granularity.PER_CHANNEL, 0.5f);
        MovingAverageMinMaxObserver extremes = new MovingAverageMinMaxObserver(Granularity.PER_CHANNEL, 0.5f);
        whole.observe(new float[]{-1, 3, 0, 2}, new int[]{2, 2});
        whole.observe(new float[]{-3, 1, 1, 4}, new int[]{2, 2});
        extremes.observeExtremes(new float[]{-1, 0}, new float[]{3, 2});
        extremes.observeExtremes(new float[]{-3, 1}, new float[]{1, 4});
        assertArrayEquals(whole.range().min(), extremes.range().min(), "same fold whichever way the extremes arrive");
        assertArrayEquals(whole.range().max(), extremes.range().max());
        assertEquals(-2f, extremes.min(0)); // -1 + 0.5 * (-3 - -1)
        assertEquals(3f, extremes.max(1));  // 2 + 0.5 * (4 - 2)
        // A diverged step (infinite or NaN extremes) leaves that channel's range as it was; the other one moves on.
        extremes.observeExtremes(new float[]{Float.NEGATIVE_INFINITY, 1}, new float[]{Float.NaN, 5});
        assertEquals(-2f, extremes.min(0));
        assertEquals(2f, extremes.max(0));
        assertEquals(4f, extremes.max(1));
        // A channel whose first extremes were not finite starts at [0, 0].
        MinMaxObserver fresh = new MinMaxObserver(Granularity.PER_CHANNEL);
        fresh.observeExtremes(new float[]{Float.NaN, -1}, new float[]{Float.NaN, 1});
        assertEquals(0f, fresh.min(0));
        assertEquals(0f, fresh.max(0));
        // Whole tensors must be finite: a calibration batch with an infinity has no range to quantize to.
        assertThrows(IllegalArgumentException.class, () -> fresh.observe(new float[]{1, Float.POSITIVE_INFINITY}, new int[]{2, 1}));
    }

    @Test
    void onlyTheExtremesKindsMakeExtremesObservers() {
        assertTrue(ObserverKind.CURRENT.extremes(Granularity.PER_TENSOR, 0.01f) instanceof CurrentMinMaxObserver);
        assertTrue(ObserverKind.MIN_MAX.extremes(Granularity.PER_TENSOR, 0.01f) instanceof MinMaxObserver);
        assertEquals(0.25f, ((MovingAverageMinMaxObserver) ObserverKind.MOVING_AVERAGE.extremes(Granularity.PER_TENSOR, 0.25f)).momentum());
        assertThrows(IllegalArgumentException.class, () -> ObserverKind.PERCENTILE.extremes(Granularity.PER_TENSOR, 0.01f));
        assertThrows(IllegalArgumentException.class, () -> ObserverKind.MSE.extremes(Granularity.PER_TENSOR, 0.01f));
    }

    private static double error(float[] x, AffineParams p) {
        double e = 0;
        for (float v : x) e += (v - p.fakeQuantize(v)) * (double) (v - p.fakeQuantize(v));
        return e;
    }
}
