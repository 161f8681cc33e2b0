package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void parallelForCoversEveryIndexExactlyOnceOverManyBackToBackCalls() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
                for (int rep = 0; rep < 200; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    pool.parallelFor(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void chunksRespectTheGrainAndUseSeveralThreadsWhenWorthIt() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            Set<Integer> sizes = ConcurrentHashMap.newKeySet();
            pool.parallelFor(10, 8, (from, to) -> {
                seen.add(Thread.currentThread());
                sizes.add(to - from);
            });
            assertEquals(Set.of(10), sizes, "n / grain < 2 must run as one chunk");
            assertEquals(Set.of(Thread.currentThread()), seen);
            sizes.clear();
            pool.parallelFor(100, 1, (from, to) -> sizes.add(to - from));
            assertEquals(Set.of(50), sizes);
        }
    }

    @Test
    void nestedLoopsRunInlineInsteadOfDeadlocking() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(40);
            pool.parallelFor(4, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    pool.parallelFor(10, 1, (f, t) -> {
                        for (int j = f; j < t; j++) hits.incrementAndGet(row * 10 + j);
                    });
                }
            });
            for (int i = 0; i < 40; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void exceptionInAChunkReachesTheCallerAfterAllChunksEnd() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> pool.parallelFor(2, 1, (from, to) -> {
                        if (from == 1) throw boom;
                    }));
            assertSame(boom, thrown);
            AtomicIntegerArray hits = new AtomicIntegerArray(2);
            pool.parallelFor(2, 1, (from, to) -> hits.incrementAndGet(from));
            assertEquals(1, hits.get(0));
            assertEquals(1, hits.get(1));
        }
    }

    @Test
    void loopsStillRunAfterCloseOnTheCallingThread() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        AtomicIntegerArray hits = new AtomicIntegerArray(5);
        pool.parallelFor(5, 1, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 5; i++) assertEquals(1, hits.get(i));
        assertTrue(pool.threads() == 2);
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
