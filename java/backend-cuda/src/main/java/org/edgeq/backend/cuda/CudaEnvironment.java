package org.edgeq.backend.cuda;

import org.edgeq.bindings.nvml.Nvml;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * Everything that decides whether the CUDA backend can run here, probed once: the packaged libedgeq_cuda.so, the
 * NVIDIA libraries, the devices and NVML. A plain record so tests can build any combination without native libraries.
 */
public record CudaEnvironment(boolean nativeLibraryPackaged, CudaLibraries.Status cudart,
                              CudaLibraries.Status cublasLt, CudaDevices devices, String nvml) {

    /** Where the Maven build packs the kernels' library inside the jar. */
    public static final String NATIVE_RESOURCE = "/native/linux-x86_64/libedgeq_cuda.so";

    static final String NOT_PACKAGED = "this build has no libedgeq_cuda.so (built without nvcc)";

    /** Probes this machine; never throws, whatever is missing. */
    public static CudaEnvironment probe() {
        boolean packaged = CudaEnvironment.class.getResource(NATIVE_RESOURCE) != null;
        CudaLibraries.Status cudart = CudaLibraries.load(CudaLibraries.CUDART);
        CudaLibraries.Status cublasLt = CudaLibraries.load(CudaLibraries.CUBLASLT);
        CudaDevices devices = cudart instanceof CudaLibraries.Status.Loaded ? CudaDevices.query()
                : new CudaDevices.NotQueried("the CUDA runtime is not loaded");
        return new CudaEnvironment(packaged, cudart, cublasLt, devices, nvmlStatus());
    }

    /**
     * The first reason, in the order a person fixes them, that the CUDA backend cannot run; empty only when it can.
     * cuBLASLt is not required: without it every GEMM runs on our kernels (GemmEngine.AUTO falls back to KERNEL).
     */
    public Optional<String> blockingReason() {
        if (!nativeLibraryPackaged) return Optional.of(NOT_PACKAGED);
        if (cudart instanceof CudaLibraries.Status.Missing m) return Optional.of(m.reason());
        if (!(devices instanceof CudaDevices.Found)) return Optional.of(devices.describe());
        return Optional.empty();
    }

    /** One line for a library: where it was loaded from, or why it was not. */
    public static String describe(CudaLibraries.Status status) {
        return switch (status) {
            case CudaLibraries.Status.Loaded l -> "loaded " + l.soname() + " from " + l.path();
            case CudaLibraries.Status.Missing m -> m.reason();
        };
    }

    /** NVML is optional (energy readings only): its state is reported, never blocking. */
    private static String nvmlStatus() {
        CudaLibraries.Status status = CudaLibraries.load(CudaLibraries.NVML);
        if (status instanceof CudaLibraries.Status.Missing m) return m.reason() + " (energy readings unavailable)";
        try {
            int init = Nvml.nvmlInit_v2();
            if (init != Nvml.NVML_SUCCESS()) return describe(status) + "; nvmlInit: " + nvmlError(init);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
                int rc = Nvml.nvmlDeviceGetCount_v2(count);
                return describe(status) + "; " + (rc == Nvml.NVML_SUCCESS()
                        ? count.get(ValueLayout.JAVA_INT, 0) + " device(s)" : "nvmlDeviceGetCount: " + nvmlError(rc));
            } finally {
                Nvml.nvmlShutdown();
            }
        } catch (RuntimeException | LinkageError e) {
            return describe(status) + "; NVML could not be called: " + e;
        }
    }

    private static String nvmlError(int code) {
        MemorySegment text = Nvml.nvmlErrorString(code);
        return text.equals(MemorySegment.NULL) ? "NVML error " + code : text.reinterpret(4096).getString(0);
    }
}
