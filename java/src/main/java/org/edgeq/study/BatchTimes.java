package org.edgeq.study;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Wall times of the batches of one evaluation pass, collected as they come, and their quantiles in milliseconds.
 * The median is what results rows report as latency_ms_p50: robust to the first, cold batch and to a short last one.
 */
public final class BatchTimes implements LongConsumer {
    private long[] nanos = new long[16];
    private int count;

    /** Records one batch's wall time in nanoseconds. */
    @Override
    public void accept(long batchNanos) {
        if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
        nanos[count++] = batchNanos;
    }

    public int count() {
        return count;
    }

    /** The median batch time in milliseconds (the mean of the middle two for an even count); NaN without batches. */
    public double medianMillis() {
        if (count == 0) return Double.NaN;
        long[] s = Arrays.copyOf(nanos, count);
        Arrays.sort(s);
        double mid = count % 2 == 1 ? s[count / 2] : (s[count / 2 - 1] + (double) s[count / 2]) / 2;
        return mid / 1e6;
    }
}
