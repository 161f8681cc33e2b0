package org.edgeq.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of worker threads, sized to the cores by default, that splits index ranges among them.
 *
 * <p>Built for the many short parallel loops of a training step: the calling thread works on the range too, idle
 * workers spin briefly on a generation counter before parking (so back-to-back loops hand over in well under a
 * microsecond), and a call made from inside a running loop, or while another thread's loop holds the pool, runs
 * inline instead of waiting.
 */
public final class WorkerPool implements AutoCloseable {

    /** Work over the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** How long an idle worker (or a waiting caller) spins before parking. */
    private static final long SPIN_NANOS = 50_000;

    /** One parallelFor call: its chunks are claimed through {@code next} by the caller and the workers. */
    private static final class Job {
        final RangeTask task;
        final int n;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        final Thread caller;
        volatile Throwable failure;

        Job(RangeTask task, int n, int chunks, Thread caller) {
            this.task = task;
            this.n = n;
            this.chunks = chunks;
            this.pending = new AtomicInteger(chunks);
            this.caller = caller;
        }

        /** Runs chunks until none is left; returns whether this thread finished the job's last chunk. */
        boolean work() {
            boolean last = false;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                try {
                    task.run(from, to);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                last = pending.decrementAndGet() == 0;
            }
            return last;
        }
    }

    private static final ThreadLocal<Boolean> INSIDE_LOOP = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock submit = new ReentrantLock();
    private volatile Job job;
    private volatile long generation;
    private volatile boolean closed;

    /** A pool with one thread per available processor. */
    public WorkerPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "edgeq-worker-" + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) split into at most {@link #threads()} contiguous chunks of at least
     * {@code grain} indices; runs inline when one chunk suffices. Returns when every chunk has finished; the first
     * exception a chunk threw is rethrown here.
     */
    public void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1 || closed || INSIDE_LOOP.get() || !submit.tryLock()) {
            task.run(0, n);
            return;
        }
        Thread me = Thread.currentThread();
        Job j = new Job(task, n, chunks, me);
        INSIDE_LOOP.set(Boolean.TRUE);
        try {
            job = j;
            generation++; // single writer: only the lock holder publishes
            for (Thread w : workers) LockSupport.unpark(w);
            j.work();
            awaitDone(j);
        } finally {
            INSIDE_LOOP.set(Boolean.FALSE);
            job = null;
            submit.unlock();
        }
        Throwable failure = j.failure;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static void awaitDone(Job j) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (j.pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(j);
            }
        }
    }

    private void workerLoop() {
        INSIDE_LOOP.set(Boolean.TRUE);
        long seen = 0;
        while (!closed) {
            long g = generation;
            if (g == seen) {
                idle(seen);
                continue;
            }
            seen = g;
            Job j = job;
            if (j != null && j.work()) LockSupport.unpark(j.caller);
        }
    }

    /** Waits for the generation to move past {@code seen}: spin first, then park until unparked. */
    private void idle(long seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (generation == seen && !closed) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** Stops the workers; loops started afterwards run on the calling thread. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
