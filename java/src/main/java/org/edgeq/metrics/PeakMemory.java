package org.edgeq.metrics;

import org.edgeq.tensor.AllocationCounter;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Measures the peak memory of a stretch of work (an inference pass, a training step): the JVM heap through the heap
 * pools' peak usage (reset before), host tensor memory and device tensor memory through their allocation counters'
 * high-water marks (reset before). Peaks are process-wide: run one measurement at a time.
 */
public final class PeakMemory {
    private final boolean collectFirst;
    private final AllocationCounter host;
    private final AllocationCounter device;

    /**
     * @param collectFirst run a full garbage collection before resetting the heap peaks, so that the heap figure is the
     *                     live heap plus what the work itself allocates, not whatever garbage the work happens to
     *                     start on top of
     */
    public PeakMemory(boolean collectFirst) {
        this(collectFirst, AllocationCounter.HOST, AllocationCounter.DEVICE);
    }

    /** With counters of one's own (tests). */
    public PeakMemory(boolean collectFirst, AllocationCounter host, AllocationCounter device) {
        this.collectFirst = collectFirst;
        this.host = host;
        this.device = device;
    }

    /**
     * Runs {@code work} and returns the peaks it reached. {@code onDevice}: whether the work runs on a device, so that
     * the device figure means something (null otherwise).
     */
    public MemoryPeak during(Runnable work, boolean onDevice) {
        List<MemoryPoolMXBean> heap = heapPools();
        if (collectFirst) System.gc();
        for (MemoryPoolMXBean p : heap) p.resetPeakUsage();
        host.resetPeak();
        device.resetPeak();
        work.run();
        long heapPeak = 0;
        for (MemoryPoolMXBean p : heap) {
            java.lang.management.MemoryUsage u = p.getPeakUsage();
            if (u != null) heapPeak += u.getUsed();
        }
        return new MemoryPeak(heapPeak, host.peak(), onDevice ? device.peak() : null);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    }
}
