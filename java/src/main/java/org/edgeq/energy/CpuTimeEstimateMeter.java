package org.edgeq.energy;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * An estimate where no counter can be read: this process's CPU time times an assumed power per busy core (TDP /
 * cores, {@link CpuPower}), as CodeCarbon and Green Algorithms estimate without RAPL. It counts every thread of
 * the JVM (JIT and GC too) and nothing of other processes; it ignores idle power, memory and frequency, so it is an
 * estimate, labelled so, with its assumption in the detail.
 */
public final class CpuTimeEstimateMeter implements EnergyMeter {

    private final CpuPower power;
    private final LongSupplier cpuNanos;
    private final LongSupplier nanoClock;
    private final String whyNoCounter;

    /**
     * @param whyNoCounter why no counter was used (e.g. RAPL's unavailability), said in every detail line; may be null
     */
    public CpuTimeEstimateMeter(CpuPower power, String whyNoCounter) {
        this(power, processCpuNanos(), System::nanoTime, whyNoCounter);
    }

    /** With the process's CPU time and the wall clock given (tests pass fakes). */
    public CpuTimeEstimateMeter(CpuPower power, LongSupplier cpuNanos, LongSupplier nanoClock, String whyNoCounter) {
        this.power = power;
        this.cpuNanos = cpuNanos;
        this.nanoClock = nanoClock;
        this.whyNoCounter = whyNoCounter;
    }

    /**
     * This process's CPU time in nanoseconds, all threads: clock_gettime(CLOCK_PROCESS_CPUTIME_ID) where it can be
     * called (nanoseconds), else the platform MXBean's getProcessCpuTime (10 ms ticks on Linux), else ProcessHandle's.
     */
    public static LongSupplier processCpuNanos() {
        return ProcessCpuClock.best();
    }

    public CpuPower power() {
        return power;
    }

    @Override
    public String source() {
        return EnergyReading.ESTIMATE;
    }

    @Override
    public String describe() {
        return "estimate: process CPU time x " + power + (whyNoCounter == null ? "" : "; RAPL not used: " + whyNoCounter);
    }

    @Override
    public Measurement start() {
        long cpu0 = cpuNanos.getAsLong();
        long wall0 = nanoClock.getAsLong();
        return new Measurement() {
            private EnergyReading result;

            @Override
            public synchronized EnergyReading peek() {
                if (result != null) return result;
                double cpuSeconds = (cpuNanos.getAsLong() - cpu0) / 1e9;
                double seconds = (nanoClock.getAsLong() - wall0) / 1e9;
                double joules = cpuSeconds * power.wattsPerCore();
                return new EnergyReading(joules, seconds, EnergyReading.ESTIMATE, String.format(Locale.ROOT,
                        "process CPU time %.3f s x %s; an estimate, not a measurement%s", cpuSeconds, power,
                        whyNoCounter == null ? "" : "; RAPL not used: " + whyNoCounter));
            }

            @Override
            public synchronized EnergyReading stop() {
                if (result == null) result = peek();
                return result;
            }
        };
    }
}
