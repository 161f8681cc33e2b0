package org.edgeq.energy;

import java.util.OptionalLong;
import java.util.function.LongToDoubleFunction;

/**
 * A stand-in for NVML: devices with or without an energy counter, and a power curve in watts as a function of the
 * time the meter last read from {@link #clock}, so a test knows the exact integral the meter should find.
 */
final class FakeNvml implements NvmlApi {
    /** A monotonic clock that moves {@code step} nanoseconds each time it is read. */
    static final class SteppingClock implements java.util.function.LongSupplier {
        private final long step;
        private long now;
        private long lastRead;

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public synchronized long getAsLong() {
            lastRead = now;
            now += step;
            return lastRead;
        }

        synchronized long lastRead() {
            return lastRead;
        }
    }

    final int devices;
    final boolean counter;
    long energyMillijoules;
    SteppingClock clock = new SteppingClock(1_000_000);
    LongToDoubleFunction wattsAt = t -> 0;
    boolean powerFails;
    int powerCalls;

    FakeNvml(int devices, boolean counter) {
        this.devices = devices;
        this.counter = counter;
    }

    @Override
    public int deviceCount() {
        return devices;
    }

    @Override
    public String deviceName(int device) {
        if (device >= devices) throw new NvmlException("nvmlDeviceGetHandleByIndex_v2(" + device + ")", 2, "Invalid Argument");
        return "Fake GPU " + device;
    }

    @Override
    public synchronized OptionalLong totalEnergyMillijoules(int device) {
        return counter ? OptionalLong.of(energyMillijoules) : OptionalLong.empty();
    }

    @Override
    public synchronized long powerMilliwatts(int device) {
        powerCalls++;
        if (powerFails) throw new NvmlException("nvmlDeviceGetPowerUsage", 15, "GPU is lost");
        return Math.round(wattsAt.applyAsDouble(clock.lastRead()) * 1e3);
    }
}
