package org.edgeq.backend.cuda;

/** The device (or cuBLASLt's workspace) ran out of memory; what the failing call had taken is already freed. */
public final class CudaOutOfMemoryException extends CudaException {
    public CudaOutOfMemoryException(String op, String message) {
        super(op, message, false);
    }
}
