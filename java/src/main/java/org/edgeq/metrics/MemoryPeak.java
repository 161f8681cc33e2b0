package org.edgeq.metrics;

/**
 * The most memory in use during a stretch of work, by kind.
 *
 * @param heapBytes    JVM heap: the sum of each heap pool's peak usage (garbage not yet collected included; an upper
 *                     bound on the heap in use at any one moment)
 * @param offHeapBytes host tensor memory alive at once at most ({@link org.edgeq.tensor.AllocationCounter#HOST})
 * @param deviceBytes  device tensor memory alive at once at most, null where the work ran on no device
 */
public record MemoryPeak(long heapBytes, long offHeapBytes, Long deviceBytes) {

    /** Heap + off-heap tensors + device tensors: the results' peak_bytes. */
    public long totalBytes() {
        return heapBytes + offHeapBytes + (deviceBytes == null ? 0 : deviceBytes);
    }
}
