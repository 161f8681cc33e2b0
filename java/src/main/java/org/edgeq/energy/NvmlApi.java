package org.edgeq.energy;

import java.util.OptionalLong;

/**
 * The few NVML calls the energy meters make, between {@link NvmlMeter} and the jextract bindings, so that the meter
 * is tested against a stand-in on machines without a GPU (this one). The real one is the CUDA backend module's
 * (org.edgeq.backend.cuda.NvmlBindings), found through {@link NvmlProvider}.
 * Device numbers are NVML's (PCI bus order). A failing call throws {@link NvmlException} with NVML's message.
 */
public interface NvmlApi {

    /** How many devices NVML sees. */
    int deviceCount();

    /** The device's name, e.g. "NVIDIA H100 80GB HBM3". */
    String deviceName(int device);

    /**
     * {@code nvmlDeviceGetTotalEnergyConsumption}: millijoules the device has used since the driver was last loaded;
     * empty where the device does not support it (NVML_ERROR_NOT_SUPPORTED: GPUs before Volta).
     */
    OptionalLong totalEnergyMillijoules(int device);

    /** {@code nvmlDeviceGetPowerUsage}: the board's power draw now, in milliwatts. */
    long powerMilliwatts(int device);

    /** An NVML call that returned an error: which call, NVML's code and its text. */
    final class NvmlException extends RuntimeException {
        private final int code;

        public NvmlException(String call, int code, String text) {
            super(call + ": " + text + " (NVML error " + code + ")");
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
