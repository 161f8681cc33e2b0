package org.edgeq.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the memory of the tensors allocated in it; closing the scope frees all of them at once.
 *
 * <p>Host memory comes from a shared {@link Arena} (shared because the CPU backend's worker threads read it).
 * Backends that hold memory elsewhere (device memory) register a release action with {@link #onClose}.
 * Any access to a host tensor after close fails with {@link IllegalStateException}. Host bytes are counted in
 * {@link AllocationCounter#HOST} from allocation until the scope closes, for peak-memory figures.
 */
public final class TensorScope implements AutoCloseable {
    private static final long ALIGNMENT = 64;

    private final Arena arena = Arena.ofShared();
    private final Deque<Runnable> releases = new ArrayDeque<>();
    private final AtomicLong hostBytes = new AtomicLong();
    private boolean closed;

    /** Allocates zeroed, 64-byte aligned host memory owned by this scope. */
    public MemorySegment allocateHost(long bytes) {
        ensureOpen();
        long size = Math.max(bytes, 1);
        MemorySegment segment = arena.allocate(size, ALIGNMENT);
        hostBytes.addAndGet(size);
        AllocationCounter.HOST.allocated(size);
        return segment;
    }

    /** Host bytes allocated in this scope so far (zero once it is closed). */
    public long hostBytes() {
        return hostBytes.get();
    }

    /** Registers an action run (in reverse registration order) when the scope closes. */
    public void onClose(Runnable release) {
        ensureOpen();
        releases.push(release);
    }

    public boolean isOpen() {
        return !closed;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("tensor scope already closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        arena.close();
        AllocationCounter.HOST.freed(hostBytes.getAndSet(0));
        if (first != null) throw first;
    }
}
