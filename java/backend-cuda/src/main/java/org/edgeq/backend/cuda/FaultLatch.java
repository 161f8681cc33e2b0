package org.edgeq.backend.cuda;

/**
 * Remembers the first sticky device fault, and whether the device was closed; from then on every operation is
 * refused, because CUDA answers any further work in a faulted context with the same error (and a closed one has
 * freed its native handles).
 */
final class FaultLatch {
    private volatile String firstFault;
    private volatile boolean closed;

    /** Records {@code e} if it is sticky and returns it for throwing. */
    <T extends CudaException> T record(T e) {
        if (e.sticky() && firstFault == null) {
            synchronized (this) {
                if (firstFault == null) firstFault = e.getMessage();
            }
        }
        return e;
    }

    /**
     * From now on every operation is refused: the context, stream and cuBLASLt handle are being destroyed, and a
     * native call with them afterwards would use freed memory.
     */
    void markClosed() {
        closed = true;
    }

    /**
     * Throws {@code IllegalStateException("cuda backend is closed")} after {@link #markClosed}, and
     * {@code IllegalStateException("cuda backend must be recreated: <first fault>")} after a sticky fault.
     */
    void ensureUsable() {
        if (closed) throw new IllegalStateException("cuda backend is closed");
        String fault = firstFault;
        if (fault != null) throw new IllegalStateException("cuda backend must be recreated: " + fault);
    }

    boolean broken() {
        return firstFault != null;
    }
}
