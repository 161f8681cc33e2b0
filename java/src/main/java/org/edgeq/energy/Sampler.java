package org.edgeq.energy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that runs one task at a fixed period until closed: the power sampling of NVML devices without an
 * energy counter, and the RAPL wrap guard. A daemon, so a measurement never left stopped cannot keep the JVM alive;
 * closing waits for a task in progress, so no sample lands after the measurement's last one.
 */
final class Sampler implements AutoCloseable {
    private final ScheduledExecutorService executor;

    Sampler(String name, Duration period, Runnable task) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long nanos = period.toNanos();
        executor.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
