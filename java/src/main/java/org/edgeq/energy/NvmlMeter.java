package org.edgeq.energy;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Energy of one NVIDIA GPU through NVML: the device's total energy counter (millijoules since the driver loaded)
 * read at start and stop where the device has one (Volta and later), else its power draw sampled on a daemon thread
 * at a fixed period and integrated by the trapezoid rule. Either way it is the whole board's energy, other processes
 * on the GPU included, and not the host CPU's.
 */
public final class NvmlMeter implements EnergyMeter {

    /** How this device is read; decided once, when the meter is made. */
    public enum Mode { COUNTER, SAMPLING }

    private final NvmlApi nvml;
    private final int device;
    private final String deviceName;
    private final Mode mode;
    private final Duration period;
    private final LongSupplier nanoClock;

    /** A meter for NVML device {@code device}, sampling power every {@code period} where there is no energy counter. */
    public NvmlMeter(NvmlApi nvml, int device, Duration period) {
        this(nvml, device, period, System::nanoTime);
    }

    NvmlMeter(NvmlApi nvml, int device, Duration period, LongSupplier nanoClock) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("sampling period must be positive, got " + period);
        this.nvml = nvml;
        this.device = device;
        this.deviceName = nvml.deviceName(device);
        this.mode = nvml.totalEnergyMillijoules(device).isPresent() ? Mode.COUNTER : Mode.SAMPLING;
        this.period = period;
        this.nanoClock = nanoClock;
    }

    public Mode mode() {
        return mode;
    }

    public int device() {
        return device;
    }

    @Override
    public String source() {
        return EnergyReading.NVML;
    }

    @Override
    public String describe() {
        return "nvml: GPU " + device + " (" + deviceName + "), " + (mode == Mode.COUNTER ? "total energy counter"
                : "power sampled every " + period.toMillis() + " ms (no energy counter on this device)");
    }

    @Override
    public Measurement start() {
        return mode == Mode.COUNTER ? new Counting() : new Sampling();
    }

    private String what() {
        return "GPU " + device + " (" + deviceName + ")";
    }

    /** The energy counter at start and at each reading. */
    private final class Counting implements Measurement {
        private final long startNanos = nanoClock.getAsLong();
        private long startMillijoules;
        private String failure;
        private EnergyReading result;

        Counting() {
            try {
                startMillijoules = counter();
            } catch (NvmlApi.NvmlException e) {
                failure = e.getMessage();
            }
        }

        private long counter() {
            OptionalLong mj = nvml.totalEnergyMillijoules(device);
            if (mj.isEmpty()) throw new NvmlApi.NvmlException("nvmlDeviceGetTotalEnergyConsumption", 3, "Not Supported (it was when the meter was made)");
            return mj.getAsLong();
        }

        @Override
        public synchronized EnergyReading peek() {
            if (result != null) return result;
            double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
            if (failure != null) return EnergyReading.unmeasured(seconds, "NVML energy counter of " + what() + " could not be read at start: " + failure);
            try {
                double joules = (counter() - startMillijoules) / 1e3;
                return new EnergyReading(joules, seconds, EnergyReading.NVML, "NVML total energy counter of " + what()
                        + "; the whole board, other processes on it included, host CPU not included");
            } catch (NvmlApi.NvmlException e) {
                return EnergyReading.unmeasured(seconds, "NVML energy counter of " + what() + " could not be read: " + e.getMessage());
            }
        }

        @Override
        public synchronized EnergyReading stop() {
            if (result == null) result = peek();
            return result;
        }
    }

    /** Power samples on a daemon thread, integrated; the first sample at start and the last at each reading. */
    private final class Sampling implements Measurement {
        private final PowerIntegrator integral = new PowerIntegrator();
        private final long startNanos;
        private final Sampler sampler;
        private String failure;
        private EnergyReading result;

        Sampling() {
            startNanos = sample();
            sampler = new Sampler("edgeq-nvml-power-" + device, period, this::sample);
        }

        /** Takes one sample now and returns its time; the clock is read just before the call so the pair stays together. */
        private synchronized long sample() {
            long t = nanoClock.getAsLong();
            if (failure != null || result != null) return t;
            try {
                integral.add(t, nvml.powerMilliwatts(device) / 1e3);
            } catch (NvmlApi.NvmlException e) {
                failure = e.getMessage();
            }
            return t;
        }

        @Override
        public synchronized EnergyReading peek() {
            if (result != null) return result;
            long now = sample();
            double seconds = (now - startNanos) / 1e9;
            if (failure != null) return EnergyReading.unmeasured(seconds, "NVML power of " + what() + " could not be read: " + failure);
            return new EnergyReading(integral.joules(), seconds, EnergyReading.NVML, String.format(Locale.ROOT,
                    "NVML power of %s sampled every %d ms (%d samples, trapezoid rule; no energy counter on this device); "
                            + "the whole board, other processes on it included, host CPU not included",
                    what(), period.toMillis(), integral.samples()));
        }

        @Override
        public EnergyReading stop() {
            synchronized (this) {
                if (result != null) return result;
                result = peek();
            }
            sampler.close();
            return result;
        }
    }
}
