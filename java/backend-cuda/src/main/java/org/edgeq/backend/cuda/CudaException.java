package org.edgeq.backend.cuda;

/**
 * A CUDA runtime, cuBLASLt or libedgeq_cuda call failed; the message names the operation and carries the library's
 * own error name and text. {@link #sticky()} is true for a device fault that leaves the CUDA context unusable
 * (the backend then refuses further work and must be recreated).
 */
public class CudaException extends RuntimeException {
    private final String op;
    private final boolean sticky;

    public CudaException(String op, String message, boolean sticky) {
        super(message);
        this.op = op;
        this.sticky = sticky;
    }

    /** The backend operation (e.g. "gemm", "allocate") during which the library reported the error. */
    public String op() {
        return op;
    }

    /** True when the CUDA context is corrupted for good (illegal address, launch failure, ...). */
    public boolean sticky() {
        return sticky;
    }
}
