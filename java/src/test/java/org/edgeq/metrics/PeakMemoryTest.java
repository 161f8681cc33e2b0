package org.edgeq.metrics;

import org.edgeq.tensor.AllocationCounter;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peak memory of a stretch of work: bounds that fail when a peak is missed, not reset, or over-counted. */
class PeakMemoryTest {
    private static final long MIB = 1 << 20;

    @Test
    void offHeapPeakIsExactlyTheTensorsAliveAtOnceOnTopOfThoseAliveBefore() {
        PeakMemory memory = new PeakMemory(false);
        long before = AllocationCounter.HOST.live();
        MemoryPeak p = memory.during(() -> {
            try (TensorScope a = new TensorScope()) {
                a.allocateHost(8 * MIB);
                try (TensorScope b = new TensorScope()) {
                    b.allocateHost(4 * MIB);
                }
                a.allocateHost(2 * MIB); // after b's 4 MiB were freed: 10 MiB alive, less than the 12 before
            }
        }, false);
        assertEquals(before + 12 * MIB, p.offHeapBytes());
        assertEquals(before, AllocationCounter.HOST.live());
        assertNull(p.deviceBytes(), "no device: no device figure");

        MemoryPeak idle = memory.during(() -> { }, false);
        assertEquals(before, idle.offHeapBytes(), "the high-water mark was reset before the second measurement");
    }

    @Test
    void heapPeakHoldsWhatTheWorkKeptAndAResetForgetsIt() {
        PeakMemory memory = new PeakMemory(true);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        byte[][] keep = new byte[1][];
        MemoryPeak big = memory.during(() -> {
            keep[0] = new byte[Math.toIntExact(64 * MIB)];
            keep[0][keep[0].length - 1] = 1;
        }, false);
        assertTrue(big.heapBytes() >= 64 * MIB, "the 64 MiB array: " + big);
        assertTrue(big.heapBytes() <= usedBefore + 64 * MIB + 256 * MIB, "not more than what was alive, the array and young garbage: " + big);
        keep[0] = null;
        MemoryPeak small = memory.during(() -> { }, false);
        assertTrue(small.heapBytes() <= big.heapBytes() - 32 * MIB, "after a collection the array is gone: " + small + " vs " + big);
    }

    @Test
    void deviceBytesComeFromTheDeviceCounterWhenTheWorkRunsOnADevice() {
        AllocationCounter host = new AllocationCounter("host");
        AllocationCounter device = new AllocationCounter("device");
        device.allocated(100);
        PeakMemory memory = new PeakMemory(false, host, device);
        MemoryPeak p = memory.during(() -> {
            device.allocated(1000);
            device.freed(1000);
            host.allocated(7);
        }, true);
        assertEquals(1100L, p.deviceBytes());
        assertEquals(7, p.offHeapBytes());
        assertEquals(p.heapBytes() + 7 + 1100, p.totalBytes());
    }
}
