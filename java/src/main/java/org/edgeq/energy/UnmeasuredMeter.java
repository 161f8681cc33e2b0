package org.edgeq.energy;

/**
 * The meter for work nothing here can measure (a GPU without a usable NVML): its readings carry the wall time,
 * NaN joules, source none and the reason, so rows and JSON lines say why their energy is empty.
 */
public final class UnmeasuredMeter implements EnergyMeter {
    private final String reason;

    public UnmeasuredMeter(String reason) {
        this.reason = reason;
    }

    @Override
    public String source() {
        return EnergyReading.NONE;
    }

    @Override
    public String describe() {
        return "none: " + reason;
    }

    @Override
    public Measurement start() {
        long t0 = System.nanoTime();
        return new Measurement() {
            private EnergyReading result;

            @Override
            public synchronized EnergyReading peek() {
                return result != null ? result : EnergyReading.unmeasured((System.nanoTime() - t0) / 1e9, reason);
            }

            @Override
            public synchronized EnergyReading stop() {
                if (result == null) result = peek();
                return result;
            }
        };
    }
}
