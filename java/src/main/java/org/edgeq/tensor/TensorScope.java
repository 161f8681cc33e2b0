package org.edgeq.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Owns the memory of the tensors allocated in it; closing the scope frees all of them at once.
 *
 * <p>Host memory comes from a shared {@link Arena} (shared because the CPU backend's worker threads read it).
 * Backends that hold memory elsewhere (device memory) register a release action with {@link #onClose}.
 * Any access to a host tensor after close fails with {@link IllegalStateException}.
 */
public final class TensorScope implements AutoCloseable {
    private static final long ALIGNMENT = 64;

    private final Arena arena = Arena.ofShared();
    private final Deque<Runnable> releases = new ArrayDeque<>();
    private boolean closed;

    /** Allocates zeroed, 64-byte aligned host memory owned by this scope. */
    public MemorySegment allocateHost(long bytes) {
        ensureOpen();
        return arena.allocate(Math.max(bytes, 1), ALIGNMENT);
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
        if (first != null) throw first;
    }
}
