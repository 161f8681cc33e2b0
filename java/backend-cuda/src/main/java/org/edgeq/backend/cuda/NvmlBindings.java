package org.edgeq.backend.cuda;

import org.edgeq.bindings.nvml.Nvml;
import org.edgeq.energy.Availability;
import org.edgeq.energy.NvmlApi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalLong;

/**
 * {@link NvmlApi} through the jextract bindings ({@code org.edgeq.bindings.nvml.Nvml}), with libnvidia-ml.so.1 loaded
 * as the CUDA backend loads its libraries ({@link CudaLibraries#NVML}); the core's energy meters reach it through
 * {@link CudaNvmlProvider}. NVML is initialised once for the life of the JVM: meters have no close, and
 * nvmlInit/nvmlShutdown count references, so the CUDA code's own init-shutdown pairs are unaffected.
 */
final class NvmlBindings implements NvmlApi {

    private static volatile Availability<NvmlApi> opened;

    private NvmlBindings() {
    }

    /** NVML ready to call, or why not (library missing, with the loader's words; nvmlInit failing, with NVML's). */
    static Availability<NvmlApi> open() {
        Availability<NvmlApi> o = opened;
        if (o == null) {
            synchronized (NvmlBindings.class) {
                if (opened == null) opened = tryOpen();
                o = opened;
            }
        }
        return o;
    }

    private static Availability<NvmlApi> tryOpen() {
        // Load before the first downcall: a binding called while its library is absent fails for the rest of the JVM.
        if (CudaLibraries.load(CudaLibraries.NVML) instanceof CudaLibraries.Status.Missing m) {
            return Availability.unavailable(m.reason());
        }
        try {
            int rc = Nvml.nvmlInit_v2();
            if (rc != Nvml.NVML_SUCCESS()) return Availability.unavailable("nvmlInit_v2: " + errorText(rc) + " (NVML error " + rc + ")");
            return Availability.available(new NvmlBindings());
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("NVML could not be called: " + e);
        }
    }

    @Override
    public int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            check("nvmlDeviceGetCount_v2", Nvml.nvmlDeviceGetCount_v2(count));
            return count.get(ValueLayout.JAVA_INT, 0);
        }
    }

    @Override
    public String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            int size = Nvml.NVML_DEVICE_NAME_V2_BUFFER_SIZE();
            MemorySegment name = arena.allocate(size);
            check("nvmlDeviceGetName", Nvml.nvmlDeviceGetName(handle(arena, device), name, size));
            return name.getString(0);
        }
    }

    @Override
    public OptionalLong totalEnergyMillijoules(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment energy = arena.allocate(ValueLayout.JAVA_LONG);
            int rc = Nvml.nvmlDeviceGetTotalEnergyConsumption(handle(arena, device), energy);
            if (rc == Nvml.NVML_ERROR_NOT_SUPPORTED()) return OptionalLong.empty();
            check("nvmlDeviceGetTotalEnergyConsumption", rc);
            return OptionalLong.of(energy.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Override
    public long powerMilliwatts(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment power = arena.allocate(ValueLayout.JAVA_INT);
            check("nvmlDeviceGetPowerUsage", Nvml.nvmlDeviceGetPowerUsage(handle(arena, device), power));
            return Integer.toUnsignedLong(power.get(ValueLayout.JAVA_INT, 0));
        }
    }

    private static MemorySegment handle(Arena arena, int device) {
        MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
        check("nvmlDeviceGetHandleByIndex_v2(" + device + ")", Nvml.nvmlDeviceGetHandleByIndex_v2(device, handle));
        return handle.get(ValueLayout.ADDRESS, 0);
    }

    private static void check(String call, int rc) {
        if (rc != Nvml.NVML_SUCCESS()) throw new NvmlException(call, rc, errorText(rc));
    }

    private static String errorText(int code) {
        MemorySegment text = Nvml.nvmlErrorString(code);
        return text.equals(MemorySegment.NULL) ? "NVML error " + code : text.reinterpret(4096).getString(0);
    }
}
