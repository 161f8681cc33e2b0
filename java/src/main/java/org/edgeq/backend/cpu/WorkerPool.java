package org.edgeq.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/** A fixed pool of worker threads, sized to the cores by default, that splits index ranges among them. */
public final class WorkerPool implements AutoCloseable {

    /** Work over the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) split into at most {@link #threads()} contiguous chunks of at least
     * {@code grain} indices; runs inline when one chunk suffices.
     */
    public void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1 || pool == null) {
            task.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(ForkJoinTask.adapt(() -> task.run(from, to)));
        }
        if (ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            pool.submit(() -> ForkJoinTask.invokeAll(tasks)).join();
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
