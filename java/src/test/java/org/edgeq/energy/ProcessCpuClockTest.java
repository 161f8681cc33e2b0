package org.edgeq.energy;

import org.junit.jupiter.api.Test;

import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process CPU clock: finer than the JDK's 10 ms ticks, and in step with it. */
class ProcessCpuClockTest {

    private static double spin(long nanos) {
        double x = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) x += Math.sqrt(x + 1);
        return x;
    }

    @Test
    void clockGettimeSeesLessThanATickOfWorkAndAgreesWithTheJdkOverLonger() {
        LongSupplier fine = ProcessCpuClock.clockGettime().orElse(null);
        if (fine == null) return; // not Linux: the JDK's clock is used, nothing to compare
        long a = fine.getAsLong();
        spin(2_000_000);
        long b = fine.getAsLong();
        assertTrue(b - a > 0 && b - a < 200_000_000L, "2 ms of spinning shows on this clock (the JDK's shows 0 or 10 ms): " + (b - a));
        LongSupplier jdk = ProcessCpuClock.jdk();
        long f0 = fine.getAsLong(), j0 = jdk.getAsLong();
        spin(300_000_000L);
        long df = fine.getAsLong() - f0, dj = jdk.getAsLong() - j0;
        assertTrue(Math.abs(df - dj) < 60_000_000L + df / 5, "the two clocks agree within ticks: " + df + " vs " + dj + " ns");
    }
}
