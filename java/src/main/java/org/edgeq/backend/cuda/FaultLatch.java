package org.edgeq.backend.cuda;

/**
 * Remembers the first sticky device fault; from then on every operation is refused, because CUDA answers any
 * further work in that context with the same error.
 */
final class FaultLatch {
    private volatile String firstFault;

    /** Records {@code e} if it is sticky and returns it for throwing. */
    <T extends CudaException> T record(T e) {
        if (e.sticky() && firstFault == null) {
            synchronized (this) {
                if (firstFault == null) firstFault = e.getMessage();
            }
        }
        return e;
    }

    /** Throws {@code IllegalStateException("cuda backend must be recreated: <first fault>")} after a sticky fault. */
    void ensureUsable() {
        String fault = firstFault;
        if (fault != null) throw new IllegalStateException("cuda backend must be recreated: " + fault);
    }

    boolean broken() {
        return firstFault != null;
    }
}
