package org.edgeq.backend.cuda;

import org.edgeq.bindings.cudart.CudaRuntime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** What the CUDA runtime says about the GPUs here: how many, or the CUDA error that stopped it from saying. */
public sealed interface CudaDevices {

    /** One line for people: the count, or the error with the call that returned it. */
    String describe();

    /** {@code cudaGetDeviceCount} succeeded with at least one device. */
    record Found(int count, int runtimeVersion, int driverVersion) implements CudaDevices {
        @Override
        public String describe() {
            return count + " device" + (count == 1 ? "" : "s") + " (runtime " + version(runtimeVersion)
                    + ", driver supports " + version(driverVersion) + ")";
        }
    }

    /** The runtime answered with an error (or with zero devices); {@code error} reads "cudaErrorName: message". */
    record Failed(String error, int driverVersion) implements CudaDevices {
        @Override
        public String describe() {
            return error + (driverVersion == 0 ? " (no NVIDIA driver: cudaDriverGetVersion gives 0)"
                    : " (driver supports " + version(driverVersion) + ")");
        }
    }

    /** The runtime was not asked, because its library is not loaded. */
    record NotQueried(String why) implements CudaDevices {
        @Override
        public String describe() {
            return "not queried: " + why;
        }
    }

    /**
     * Asks the runtime through the bindings; call only after {@link CudaLibraries} loaded cudart. A missing symbol or
     * any failure of the call becomes {@link Failed}, never an exception.
     */
    static CudaDevices query() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            int driver = CudaRuntime.cudaDriverGetVersion(value) == CudaRuntime.cudaSuccess() ? value.get(ValueLayout.JAVA_INT, 0) : 0;
            int runtime = CudaRuntime.cudaRuntimeGetVersion(value) == CudaRuntime.cudaSuccess() ? value.get(ValueLayout.JAVA_INT, 0) : 0;
            value.set(ValueLayout.JAVA_INT, 0, 0);
            int status = CudaRuntime.cudaGetDeviceCount(value);
            if (status != CudaRuntime.cudaSuccess()) return new Failed("cudaGetDeviceCount: " + errorText(status), driver);
            int count = value.get(ValueLayout.JAVA_INT, 0);
            if (count <= 0) return new Failed("cudaGetDeviceCount: 0 devices", driver);
            return new Found(count, runtime, driver);
        } catch (RuntimeException | LinkageError e) {
            // A binding whose symbol is missing fails to initialise (a LinkageError); report it rather than crash.
            return new Failed("the CUDA runtime could not be called: " + e, 0);
        }
    }

    /** "cudaErrorNoDevice: no CUDA-capable device is detected", from the runtime's own tables. */
    static String errorText(int status) {
        return cString(CudaRuntime.cudaGetErrorName(status), "cudaError " + status) + ": "
                + cString(CudaRuntime.cudaGetErrorString(status), "(no message)");
    }

    private static String cString(MemorySegment pointer, String fallback) {
        return pointer.equals(MemorySegment.NULL) ? fallback : pointer.reinterpret(4096).getString(0);
    }

    /** CUDA encodes versions as 1000 * major + 10 * minor. */
    static String version(int encoded) {
        return encoded <= 0 ? "none" : (encoded / 1000) + "." + (encoded % 1000) / 10;
    }
}
