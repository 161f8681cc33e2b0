package org.edgeq.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of tensor memory alive now and the most alive at once since the last {@link #resetPeak()}: host
 * memory of every {@link TensorScope} ({@link #HOST}) and device memory of the GPU backends ({@link #DEVICE}).
 * Lock-free (two atomics, a compare-and-set loop for the maximum), so that allocating from several threads needs
 * no lock and the counter costs nothing measurable where the training loop allocates nothing per batch.
 */
public final class AllocationCounter {
    /** Host (off-heap) tensor memory: every {@link TensorScope#allocateHost}, freed when its scope closes. */
    public static final AllocationCounter HOST = new AllocationCounter("host tensors");
    /** Device tensor memory allocated by a GPU backend for its tensors, freed when their scope closes. */
    public static final AllocationCounter DEVICE = new AllocationCounter("device tensors");

    private final String name;
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();

    /** A counter of its own (tests; the process-wide ones are {@link #HOST} and {@link #DEVICE}). */
    public AllocationCounter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records {@code bytes} allocated; raises the high-water mark if the live total now exceeds it. */
    public void allocated(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException(name + ": cannot allocate " + bytes + " bytes");
        allocations.incrementAndGet();
        long now = live.addAndGet(bytes);
        raisePeakTo(now);
    }

    /** Records {@code bytes} freed (what an earlier {@link #allocated} recorded). */
    public void freed(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException(name + ": cannot free " + bytes + " bytes");
        live.addAndGet(-bytes);
    }

    private void raisePeakTo(long now) {
        long p = peak.get();
        while (now > p && !peak.compareAndSet(p, now)) p = peak.get();
    }

    /** Bytes alive now. */
    public long live() {
        return live.get();
    }

    /** The most bytes alive at once since the last {@link #resetPeak()} (or since start). */
    public long peak() {
        return peak.get();
    }

    /** How many allocations were recorded since start. */
    public long allocations() {
        return allocations.get();
    }

    /**
     * Starts a new high-water mark at the bytes alive now. An allocation racing with the reset may be missed by the
     * new mark only if it is freed again before the reset's read; the live total itself is never lost.
     */
    public void resetPeak() {
        long now = live.get();
        peak.set(now);
        raisePeakTo(live.get()); // an allocation between the read and the set is counted
    }

    @Override
    public String toString() {
        return name + ": " + live() + " bytes live, peak " + peak();
    }
}
