package org.edgeq.energy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * This process's CPU time (all threads) in nanoseconds, as finely as the OS keeps it. The JDK's
 * OperatingSystemMXBean.getProcessCpuTime reads times() on Linux, in clock ticks of 10 ms, which turns a 0.1 s
 * evaluation into 0, 1 or 2 ticks; clock_gettime(CLOCK_PROCESS_CPUTIME_ID) through FFM has nanoseconds. Where that
 * call is not available (not Linux, no native access) the MXBean, then ProcessHandle, are used.
 */
final class ProcessCpuClock {

    /** Linux's clock id for the CPU time of the calling process (bits/time.h). */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private ProcessCpuClock() {
    }

    /** The finest process CPU clock here. */
    static LongSupplier best() {
        return clockGettime().map(s -> (LongSupplier) s).orElseGet(ProcessCpuClock::jdk);
    }

    /** clock_gettime(CLOCK_PROCESS_CPUTIME_ID), if it can be called and answers. */
    static Optional<LongSupplier> clockGettime() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return Optional.empty();
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("clock_gettime").orElse(null);
            if (symbol == null) return Optional.empty();
            MethodHandle call = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            LongSupplier clock = () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment ts = arena.allocate(TIMESPEC);
                    int rc = (int) call.invokeExact(CLOCK_PROCESS_CPUTIME_ID, ts);
                    if (rc != 0) throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) returned " + rc);
                    return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            };
            clock.getAsLong(); // answers once, or this clock is not used
            return Optional.of(clock);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The JDK's own: the platform MXBean's getProcessCpuTime where it has one, else ProcessHandle's total. */
    static LongSupplier jdk() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            return os::getProcessCpuTime;
        }
        return () -> ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
