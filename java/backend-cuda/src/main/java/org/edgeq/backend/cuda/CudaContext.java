package org.edgeq.backend.cuda;

import org.edgeq.bindings.cudart.CudaRuntime;
import org.edgeq.bindings.edgeq.EdgeqNative;
import org.edgeq.bindings.nvml.Nvml;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One device as {@link CudaBackend} uses it: the edgeq_context, one CUDA stream every operation runs on, two CUDA
 * events for timing, and (when cuBLASLt is loaded) the cuBLASLt handle with its workspace. Every failed call becomes
 * a {@link CudaException} naming the operation; a sticky fault closes the door for good ({@link FaultLatch}).
 * Written against the CUDA runtime and cuBLASLt documentation; not yet run on a GPU.
 */
final class CudaContext implements DeviceCalls {
    /** cuBLASLt's workspace: 32 MiB is what NVIDIA recommends for Hopper (less is enough for older devices). */
    static final long CUBLASLT_WORKSPACE_BYTES = 32L << 20;

    /** With -Dedgeq.cuda.sync=true every launch is followed by a synchronize, so a fault names the op that caused it. */
    private static final boolean SYNC_EVERY_LAUNCH = Boolean.getBoolean("edgeq.cuda.sync");

    private final Arena arena = Arena.ofShared();
    private final FaultLatch latch = new FaultLatch();
    private final int device;
    private final MemorySegment context;
    private final MemorySegment stream;
    private final MemorySegment startEvent;
    private final MemorySegment endEvent;
    private final long workspace;
    private final CublasLtMatmul cublasLt;
    private final DeviceInfo info;
    private boolean closed;

    private CudaContext(int device) {
        this.device = device;
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            cuda("open", "cudaSetDevice", CudaRuntime.cudaSetDevice(device));
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            edgeq("open", EdgeqNative.edgeq_context_create(device, out));
            this.context = out.get(ValueLayout.ADDRESS, 0);
            undo.push(() -> EdgeqNative.edgeq_context_destroy(context));
            MemorySegment cc = arena.allocate(ValueLayout.JAVA_INT);
            edgeq("open", EdgeqNative.edgeq_context_compute_capability(context, cc));
            cuda("open", "cudaStreamCreate", CudaRuntime.cudaStreamCreate(out));
            this.stream = out.get(ValueLayout.ADDRESS, 0);
            undo.push(() -> CudaRuntime.cudaStreamDestroy(stream));
            cuda("open", "cudaEventCreate", CudaRuntime.cudaEventCreate(out));
            this.startEvent = out.get(ValueLayout.ADDRESS, 0);
            undo.push(() -> CudaRuntime.cudaEventDestroy(startEvent));
            cuda("open", "cudaEventCreate", CudaRuntime.cudaEventCreate(out));
            this.endEvent = out.get(ValueLayout.ADDRESS, 0);
            undo.push(() -> CudaRuntime.cudaEventDestroy(endEvent));
            if (CudaLibraries.load(CudaLibraries.CUBLASLT) instanceof CudaLibraries.Status.Loaded) {
                this.workspace = allocate("open", CUBLASLT_WORKSPACE_BYTES);
                undo.push(() -> CudaRuntime.cudaFree(MemorySegment.ofAddress(workspace)));
                this.cublasLt = new CublasLtMatmul(stream, MemorySegment.ofAddress(workspace), CUBLASLT_WORKSPACE_BYTES, latch,
                        () -> CudaRuntime.cudaSetDevice(device));
                undo.push(cublasLt::close);
            } else {
                this.workspace = 0;
                this.cublasLt = null;
            }
            this.info = new DeviceInfo(device, deviceName(device), cc.get(ValueLayout.JAVA_INT, 0), totalMemory());
        } catch (RuntimeException | Error e) {
            // Release what was created, newest first, so a failed open leaks nothing.
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            arena.close();
            throw e;
        }
    }

    /** Loads the CUDA runtime and libedgeq_cuda.so (checking its ABI), then opens {@code device}. */
    static CudaContext open(int device) {
        if (device < 0) throw new IllegalArgumentException("cuda device must be >= 0, got " + device);
        CudaLibraries.require(CudaLibraries.CUDART);
        NativeLibrary.load();
        return new CudaContext(device);
    }

    @Override
    public long allocate(String op, long bytes) {
        latch.ensureUsable();
        long size = Math.max(1, bytes);
        cuda(op, "cudaSetDevice", CudaRuntime.cudaSetDevice(device));
        try (Arena local = Arena.ofConfined()) {
            MemorySegment out = local.allocate(ValueLayout.ADDRESS);
            int status = CudaRuntime.cudaMalloc(out, size);
            if (status == CudaErrors.CUDA_ERROR_MEMORY_ALLOCATION) {
                CudaRuntime.cudaGetLastError();
                MemorySegment free = local.allocate(ValueLayout.JAVA_LONG), total = local.allocate(ValueLayout.JAVA_LONG);
                boolean known = CudaRuntime.cudaMemGetInfo(free, total) == CudaErrors.CUDA_SUCCESS;
                throw CudaErrors.allocationFailed(op, size, known ? free.get(ValueLayout.JAVA_LONG, 0) : -1,
                        known ? total.get(ValueLayout.JAVA_LONG, 0) : -1, errorText(status));
            }
            cuda(op, "cudaMalloc", status);
            long address = out.get(ValueLayout.ADDRESS, 0).address();
            int zero = CudaRuntime.cudaMemsetAsync(MemorySegment.ofAddress(address), 0, size, stream);
            if (zero != CudaErrors.CUDA_SUCCESS) {
                CudaRuntime.cudaFree(MemorySegment.ofAddress(address));
                cuda(op, "cudaMemsetAsync", zero);
            }
            return address;
        }
    }

    @Override
    public void free(long address) {
        int status = CudaRuntime.cudaFree(MemorySegment.ofAddress(address));
        // After a sticky fault every call fails the same way; freeing is then moot and must not mask the fault.
        if (!latch.broken()) cuda("free", "cudaFree", status);
    }

    @Override
    public void copyToDevice(String op, MemorySegment host, long device, long bytes) {
        latch.ensureUsable();
        if (bytes == 0) return;
        cuda(op, "cudaMemcpyAsync", CudaRuntime.cudaMemcpyAsync(MemorySegment.ofAddress(device), host, bytes,
                CudaRuntime.cudaMemcpyHostToDevice(), stream));
        synchronize(op);
    }

    @Override
    public void copyToHost(String op, long device, MemorySegment host, long bytes) {
        latch.ensureUsable();
        if (bytes == 0) return;
        cuda(op, "cudaMemcpyAsync", CudaRuntime.cudaMemcpyAsync(host, MemorySegment.ofAddress(device), bytes,
                CudaRuntime.cudaMemcpyDeviceToHost(), stream));
        synchronize(op);
    }

    @Override
    public void copyOnDevice(String op, long source, long destination, long bytes) {
        latch.ensureUsable();
        if (bytes == 0 || source == destination) return;
        cuda(op, "cudaMemcpyAsync", CudaRuntime.cudaMemcpyAsync(MemorySegment.ofAddress(destination),
                MemorySegment.ofAddress(source), bytes, CudaRuntime.cudaMemcpyDeviceToDevice(), stream));
    }

    @Override
    public void launch(String op, Launch launch) {
        latch.ensureUsable();
        edgeq(op, launch.call(context, stream));
        if (SYNC_EVERY_LAUNCH) synchronize(op);
    }

    @Override
    public void synchronize(String op) {
        latch.ensureUsable();
        edgeq(op, EdgeqNative.edgeq_stream_synchronize(context, stream));
    }

    @Override
    public double timeMillis(String op, Runnable work) {
        latch.ensureUsable();
        cuda(op, "cudaEventRecord", CudaRuntime.cudaEventRecord(startEvent, stream));
        work.run();
        cuda(op, "cudaEventRecord", CudaRuntime.cudaEventRecord(endEvent, stream));
        cuda(op, "cudaEventSynchronize", CudaRuntime.cudaEventSynchronize(endEvent));
        try (Arena local = Arena.ofConfined()) {
            MemorySegment ms = local.allocate(ValueLayout.JAVA_FLOAT);
            cuda(op, "cudaEventElapsedTime", CudaRuntime.cudaEventElapsedTime(ms, startEvent, endEvent));
            return ms.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    @Override
    public CublasLtMatmul cublasLt() {
        return cublasLt;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Best effort in reverse order of creation; the first failure is reported after everything was tried.
        RuntimeException first = null;
        try {
            if (!latch.broken()) synchronize("close");
        } catch (RuntimeException e) {
            first = e;
        }
        // Launches, copies, allocations and cuBLASLt calls after this point would pass freed handles to native code.
        latch.markClosed();
        if (cublasLt != null) cublasLt.close();
        if (workspace != 0) CudaRuntime.cudaFree(MemorySegment.ofAddress(workspace));
        CudaRuntime.cudaEventDestroy(endEvent);
        CudaRuntime.cudaEventDestroy(startEvent);
        CudaRuntime.cudaStreamDestroy(stream);
        EdgeqNative.edgeq_context_destroy(context);
        arena.close();
        if (first != null) throw first;
    }

    private long totalMemory() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment free = local.allocate(ValueLayout.JAVA_LONG), total = local.allocate(ValueLayout.JAVA_LONG);
            cuda("open", "cudaMemGetInfo", CudaRuntime.cudaMemGetInfo(free, total));
            return total.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** NVML's name of the device (NVML numbers devices by PCI order, as CUDA does unless CUDA_DEVICE_ORDER says otherwise). */
    private static String deviceName(int device) {
        if (!(CudaLibraries.load(CudaLibraries.NVML) instanceof CudaLibraries.Status.Loaded)) return "CUDA device " + device;
        try (Arena local = Arena.ofConfined()) {
            if (Nvml.nvmlInit_v2() != Nvml.NVML_SUCCESS()) return "CUDA device " + device;
            try {
                MemorySegment handle = local.allocate(ValueLayout.ADDRESS);
                if (Nvml.nvmlDeviceGetHandleByIndex_v2(device, handle) != Nvml.NVML_SUCCESS()) return "CUDA device " + device;
                int size = Nvml.NVML_DEVICE_NAME_V2_BUFFER_SIZE();
                MemorySegment name = local.allocate(size);
                if (Nvml.nvmlDeviceGetName(handle.get(ValueLayout.ADDRESS, 0), name, size) != Nvml.NVML_SUCCESS()) {
                    return "CUDA device " + device;
                }
                return name.getString(0);
            } finally {
                Nvml.nvmlShutdown();
            }
        } catch (RuntimeException | LinkageError e) {
            return "CUDA device " + device;
        }
    }

    private void edgeq(String op, int status) {
        if (status == CudaErrors.EDGEQ_OK) return;
        MemorySegment name = EdgeqNative.edgeq_status_name(status);
        MemorySegment message = EdgeqNative.edgeq_last_error();
        throw latch.record(CudaErrors.edgeq(op, status, cString(name, "status " + status), cString(message, "")));
    }

    private void cuda(String op, String call, int status) {
        if (status == CudaErrors.CUDA_SUCCESS) return;
        // Clear a non-sticky error so the next call starts clean (a sticky one cannot be cleared).
        CudaRuntime.cudaGetLastError();
        throw latch.record(CudaErrors.cudart(op, call, status, cString(CudaRuntime.cudaGetErrorName(status), "cudaError " + status),
                cString(CudaRuntime.cudaGetErrorString(status), "(no message)")));
    }

    private static String errorText(int status) {
        return cString(CudaRuntime.cudaGetErrorName(status), "cudaError " + status) + ": "
                + cString(CudaRuntime.cudaGetErrorString(status), "(no message)");
    }

    private static String cString(MemorySegment pointer, String fallback) {
        return pointer.equals(MemorySegment.NULL) ? fallback : pointer.reinterpret(4096).getString(0);
    }
}
