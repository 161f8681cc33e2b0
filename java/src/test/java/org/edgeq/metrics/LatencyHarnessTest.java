package org.edgeq.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latency harness on a fake clock: warm-up, the stopping rules and numpy-linear percentiles. */
class LatencyHarnessTest {
    private static final long MS = 1_000_000;

    /** A clock that only the work moves: each run advances it by the next of {@code millis}, cyclically. */
    private static final class FakeWork implements Runnable {
        final AtomicLong clock = new AtomicLong(1_000 * MS);
        final AtomicInteger runs = new AtomicInteger();
        final long[] millis;

        FakeWork(long... millis) {
            this.millis = millis;
        }

        @Override
        public void run() {
            clock.addAndGet(millis[runs.getAndIncrement() % millis.length] * MS);
        }
    }

    @Test
    void percentilesOfOneToHundredMillisecondsAreNumpysLinearOnes() {
        long[] warm = {100, 100, 100, 100, 100, 100};
        long[] timed = new long[100];
        for (int i = 0; i < 100; i++) timed[i] = (i * 37) % 100 + 1; // 1..100 ms in a scrambled order
        long[] all = new long[106];
        System.arraycopy(warm, 0, all, 0, 6);
        System.arraycopy(timed, 0, all, 6, 100);
        FakeWork w = new FakeWork(all);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0.5, 1, 100, 100, 0, 1000, 100), w.clock::get).time(w);
        assertEquals(6, s.warmupRuns(), "the first run, then 0.5 s of 100 ms runs");
        assertEquals(100, s.iterations());
        // numpy.percentile(range(1, 101), [50, 90, 99]) = 50.5, 90.1, 99.01
        assertEquals(50.5, s.p50Millis(), 1e-9);
        assertEquals(90.1, s.p90Millis(), 1e-9);
        assertEquals(99.01, s.p99Millis(), 1e-9);
        assertEquals(1, s.minMillis(), 0);
        assertEquals(100, s.maxMillis(), 0);
        assertEquals(50.5, s.meanMillis(), 1e-9);
        assertEquals(5.05, s.seconds(), 1e-9);
    }

    @Test
    void aSlowFirstRunDoesNotEndTheWarmUpWhichLastsItsSecondsAfterItAndItsRuns() {
        long[] millis = new long[200];
        java.util.Arrays.fill(millis, 10);
        millis[0] = 2_000; // JIT compilation and buffer allocation
        FakeWork w = new FakeWork(millis);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0.5, 3, 100, 5, 0, 10, 5), w.clock::get).time(w);
        assertEquals(1 + 50, s.warmupRuns(), "the 2 s run, then 0.5 s of 10 ms runs");
        assertEquals(10, s.maxMillis(), 0, "the slow run is not timed");

        FakeWork few = new FakeWork(millis);
        LatencyStats f = new LatencyHarness(new LatencyOptions(0, 4, 100, 5, 0, 10, 5), few.clock::get).time(few);
        assertEquals(1 + 2 + 2, f.warmupRuns(), "no warm-up seconds: the first run and two windows of half the 4 runs asked for");
    }

    @Test
    void theWarmUpGoesOnWhileRunsGetFasterAsTheJitCompilerCatchesUpUpToItsMaximum() {
        FakeWork compiling = new FakeWork(400, 100, 50, 25, 12, 10, 10, 10, 10, 10, 10, 10, 10);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 3, 0, 10, 3), compiling.clock::get).time(compiling);
        assertEquals(1 + 6, s.warmupRuns(), "50, 25, 12 and 10 ms were each more than 5% faster than the run before; 10 after 10 is not");
        assertEquals(10, s.p50Millis(), 0);

        long[] faster = new long[40];
        for (int i = 0; i < faster.length; i++) faster[i] = Math.max(1, 1000 - 80L * i); // ever faster: never settles
        FakeWork never = new FakeWork(faster);
        LatencyStats t = new LatencyHarness(new LatencyOptions(0, 1, 2.0, 3, 0, 10, 3), never.clock::get).time(never);
        assertEquals(1 + 3, t.warmupRuns(), "920 + 840 + 760 ms pass the 2 s maximum warm-up");
    }

    @Test
    void theWarmUpGoesOnWhileTheJitCompilerCompilesEvenWhereRunsSeemSteady() {
        FakeWork interpreted = new FakeWork(100); // a plateau: the compiler has not finished yet
        AtomicLong compiled = new AtomicLong();
        LongSupplier compiler = () -> interpreted.runs.get() <= 6 ? compiled.incrementAndGet() : compiled.get(); // busy for 6 runs
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 3, 0, 10, 3), interpreted.clock::get, compiler).time(interpreted);
        assertEquals(1 + 6, s.warmupRuns(), "the one-run windows of runs 2 to 6 saw compilation, that of run 7 none");
        assertEquals(6 * 100 * MS, s.warmupNanos(), "the first run is not part of the warm-up's time");
    }

    @Test
    void measuresUntilBothTheIterationsAndTheSecondsAreReached() {
        FakeWork fast = new FakeWork(10);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 5, 1.0, 10, 1_000_000), fast.clock::get).time(fast);
        assertEquals(100, s.iterations(), "1 s of 10 ms runs, more than the 5 asked for");
        assertEquals(3, s.warmupRuns(), "a warm-up of 0 s still runs once, then two windows show that runs stopped getting faster");

        FakeWork slow = new FakeWork(300);
        LatencyStats t = new LatencyHarness(new LatencyOptions(0, 1, 100, 5, 1.0, 10, 1_000_000), slow.clock::get).time(slow);
        assertEquals(5, t.iterations(), "5 runs of 300 ms pass 1 s");
    }

    @Test
    void aVerySlowModelStopsAfterTheMaximumSecondsWithAtLeastThreeRuns() {
        FakeWork w = new FakeWork(4_000);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 50, 1.0, 10, 1_000_000), w.clock::get).time(w);
        assertEquals(3, s.iterations(), "12 s > 10 s after 3 runs, though 50 were asked for");
    }

    @Test
    void aVeryFastModelStopsAtTheMaximumIterations() {
        FakeWork w = new FakeWork(0, 1);
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 10, 1000, 1000, 2_000), w.clock::get).time(w);
        assertEquals(2_000, s.iterations());
        assertEquals(0.5, s.p50Millis(), 0, "half the runs took 0 ms and half 1 ms");
    }

    @Test
    void runsShorterThanTenMicrosecondsAreTimedInGroupsSoTheClocksOwnCostStaysSmall() {
        AtomicLong clock = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        Runnable twoMicros = () -> {
            runs.incrementAndGet();
            clock.addAndGet(2_000);
        };
        LatencyStats s = new LatencyHarness(new LatencyOptions(0.0001, 1, 100, 100, 0, 10, 1_000_000), clock::get).time(twoMicros);
        assertEquals(1 + 50, s.warmupRuns(), "the first run, then 100 µs of 2 µs runs");
        assertEquals(5, s.runsPerSample(), "10 µs / 2 µs");
        assertEquals(100, s.iterations(), "20 samples of 5 runs");
        assertEquals(runs.get(), s.iterations() + s.warmupRuns());
        assertEquals(0.002, s.p50Millis(), 1e-12, "each sample is its group's time over its runs");
        assertEquals(100 * 2_000, s.totalNanos());
    }

    @Test
    void throughputIsTheBatchOverTheMedianBatchTimeSoThatAFewStalledBatchesDoNotLowerIt() {
        FakeWork w = new FakeWork(250, 250, 250, 250, 2_000, 250, 250, 250); // 3 warm-up runs, then 5 timed
        LatencyStats s = new LatencyHarness(new LatencyOptions(0, 1, 100, 5, 0, 10, 5), w.clock::get).time(w);
        assertEquals(64 / 0.25, s.samplesPerSecond(64), 1e-9, "batches of 64 in 250 ms; the 2 s stall is not the median");
    }

    @Test
    void commandLineOptionsDeriveWarmUpAndThroughputTimes() {
        LatencyOptions o = LatencyOptions.of(1.0, 50);
        assertEquals(LatencyOptions.DEFAULT, o, "the defaults are what the commands use");
        assertEquals(0, LatencyOptions.of(0, 3).maxWarmupSeconds(), "no time asked for: no waiting for the compiler");
        assertEquals(0.5, o.warmupSeconds());
        LatencyOptions t = o.forThroughput();
        assertEquals(0.25, t.warmupSeconds());
        assertEquals(0.5, t.minSeconds());
        assertEquals(5, t.minIterations());
        assertEquals(2, t.warmupIterations());
        assertEquals(5.0, t.maxWarmupSeconds());
        assertThrows(IllegalArgumentException.class, () -> new LatencyOptions(-1, 1, 1, 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LatencyOptions(0, 0, 1, 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LatencyOptions(0, 1, 1, 10, 0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new LatencyOptions(2, 1, 1, 1, 0, 0, 1), "a maximum warm-up below the minimum");
    }

    @Test
    void onTheRealClockEveryRunIsTimedAndTheQuantilesAreOrdered() {
        AtomicInteger runs = new AtomicInteger();
        LatencyStats s = new LatencyHarness(new LatencyOptions(0.01, 3, 1, 20, 0.02, 1, 100_000)).time(runs::incrementAndGet);
        assertEquals(runs.get(), s.iterations() + s.warmupRuns());
        assertTrue(s.minMillis() <= s.p50Millis() && s.p50Millis() <= s.p90Millis() && s.p90Millis() <= s.p99Millis()
                && s.p99Millis() <= s.maxMillis(), s.toString());
    }
}
