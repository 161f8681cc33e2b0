package org.edgeq.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * Everything {@link CudaBackend} asks of a device after its own argument checks: memory, copies, launches on one
 * stream, timing. {@link CudaContext} implements it with the CUDA runtime and libedgeq_cuda; tests substitute a
 * recorder, which is how they prove that a refused call never reached the device.
 */
interface DeviceCalls extends AutoCloseable {

    /** One libedgeq_cuda call on the context and stream; returns its edgeq_status. */
    @FunctionalInterface
    interface Launch {
        int call(MemorySegment context, MemorySegment stream);
    }

    /** A zeroed device allocation of {@code bytes} (at least 1); CudaOutOfMemoryException when it does not fit. */
    long allocate(String op, long bytes);

    /** Frees what {@link #allocate} returned. */
    void free(long address);

    /** Host to device on the stream, complete on return (the host segment may be reused). */
    void copyToDevice(String op, MemorySegment host, long device, long bytes);

    /** Device to host on the stream, complete on return. */
    void copyToHost(String op, long device, MemorySegment host, long bytes);

    /** Device to device on the stream (asynchronous). */
    void copyOnDevice(String op, long source, long destination, long bytes);

    /** Runs {@code launch} and turns a failed status into an exception naming {@code op}. */
    void launch(String op, Launch launch);

    /** Waits for the stream; reports a kernel fault of any earlier call. */
    void synchronize(String op);

    /** Milliseconds between CUDA events recorded on the stream before and after {@code work}. */
    double timeMillis(String op, Runnable work);

    /** The cuBLASLt engine, or null when cuBLASLt is not loaded. */
    CublasLtMatmul cublasLt();

    DeviceInfo info();

    @Override
    void close();
}
