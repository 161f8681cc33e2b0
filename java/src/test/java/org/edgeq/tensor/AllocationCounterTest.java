package org.edgeq.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tensor memory counter: live bytes, the high-water mark and its reset, lock-free under threads, fed by TensorScope. */
class AllocationCounterTest {

    @Test
    void highWaterMarkIsTheMostAliveAtOnceAndResetStartsItAtTheLiveBytes() {
        AllocationCounter c = new AllocationCounter("test");
        c.allocated(100);
        c.allocated(50);
        c.freed(100);
        c.allocated(30);
        assertEquals(80, c.live());
        assertEquals(150, c.peak(), "100 + 50 were alive together");
        c.resetPeak();
        assertEquals(80, c.peak(), "a reset starts from what is alive now");
        c.allocated(10);
        c.freed(90);
        assertEquals(0, c.live());
        assertEquals(90, c.peak());
        assertEquals(4, c.allocations());
    }

    @Test
    void negativeSizesAreRefused() {
        AllocationCounter c = new AllocationCounter("test");
        assertThrows(IllegalArgumentException.class, () -> c.allocated(-1));
        assertThrows(IllegalArgumentException.class, () -> c.freed(-1));
    }

    @Test
    void threadsAllocatingAndFreeingTogetherLoseNoByteAndThePeakStaysWithinWhatCouldBeAliveAtOnce() throws Exception {
        AllocationCounter c = new AllocationCounter("test");
        int threads = 4;
        int rounds = 100_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < rounds; i++) {
                    c.allocated(8);
                    c.freed(8);
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) th.join();
        assertEquals(0, c.live());
        assertEquals(threads * rounds, c.allocations());
        assertTrue(c.peak() >= 8 && c.peak() <= 8L * threads, "peak " + c.peak());
    }

    @Test
    void aTensorScopeCountsItsHostBytesUntilItCloses() {
        long before = AllocationCounter.HOST.live();
        AllocationCounter.HOST.resetPeak();
        try (TensorScope s = new TensorScope()) {
            Tensor.host(s, DType.F32, 1024, 256);
            s.allocateHost(100);
            assertEquals(1024 * 256 * 4 + 100, s.hostBytes());
            assertEquals(before + 1024 * 256 * 4 + 100, AllocationCounter.HOST.live());
        }
        assertEquals(before, AllocationCounter.HOST.live(), "closing frees the scope's bytes");
        assertTrue(AllocationCounter.HOST.peak() >= before + 1024 * 256 * 4 + 100);
        TensorScope empty = new TensorScope();
        empty.allocateHost(0);
        assertEquals(1, empty.hostBytes(), "a zero-byte request takes the one byte the arena gives it");
        empty.close();
        empty.close();
        assertEquals(before, AllocationCounter.HOST.live(), "a second close frees nothing twice");
    }
}
