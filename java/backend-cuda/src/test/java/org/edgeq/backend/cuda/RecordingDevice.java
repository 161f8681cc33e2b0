package org.edgeq.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in device for tests without a GPU: "device" memory is host memory, copies are MemorySegment copies, and a
 * launch is recorded by its operation name but never run (the Launch would call into libedgeq_cuda).
 */
final class RecordingDevice implements DeviceCalls {
    final List<String> launches = new ArrayList<>();
    final List<String> copies = new ArrayList<>();
    final List<Long> allocated = new ArrayList<>();
    /** Runs after a launch is recorded, given its op: tests use it to play the kernel's part (write a result). */
    java.util.function.Consumer<String> onLaunch = op -> { };
    int allocations;
    int frees;
    boolean closed;
    private final Arena arena = Arena.ofShared();
    private final Map<Long, MemorySegment> blocks = new HashMap<>();

    @Override
    public long allocate(String op, long bytes) {
        MemorySegment block = arena.allocate(Math.max(1, bytes), 64);
        blocks.put(block.address(), block);
        allocations++;
        allocated.add(block.address());
        return block.address();
    }

    @Override
    public void free(long address) {
        if (blocks.remove(address) == null) throw new AssertionError("free of unknown address " + address);
        frees++;
    }

    MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public void copyToDevice(String op, MemorySegment host, long device, long bytes) {
        copies.add(op);
        MemorySegment.copy(host, 0, at(device, bytes), 0, bytes);
    }

    @Override
    public void copyToHost(String op, long device, MemorySegment host, long bytes) {
        copies.add(op);
        MemorySegment.copy(at(device, bytes), 0, host, 0, bytes);
    }

    @Override
    public void copyOnDevice(String op, long source, long destination, long bytes) {
        copies.add(op);
        MemorySegment.copy(at(source, bytes), 0, at(destination, bytes), 0, bytes);
    }

    @Override
    public void launch(String op, Launch launch) {
        launches.add(op);
        onLaunch.accept(op);
    }

    @Override
    public void synchronize(String op) {
    }

    @Override
    public double timeMillis(String op, Runnable work) {
        work.run();
        return 1;
    }

    @Override
    public CublasLtMatmul cublasLt() {
        return null;
    }

    @Override
    public DeviceInfo info() {
        return new DeviceInfo(0, "Recording device", 90, 80L << 30);
    }

    @Override
    public void close() {
        closed = true;
    }
}
