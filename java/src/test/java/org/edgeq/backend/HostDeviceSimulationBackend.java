package org.edgeq.backend;

import java.lang.foreign.MemorySegment;
import java.util.TreeMap;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A test-only backend that computes exactly as {@link CpuBackend} but hands out device tensors ({@link Tensor#isHost()}
 * false, so their element accessors throw) and accepts only its own device tensors in its ops, as a real device
 * backend does. Running training, QAT, pruning, distillation, evaluation and calibration through it finds every
 * place above the Backend SPI that reads device memory through host accessors or hands a host tensor to an op:
 * the places that would break on the CUDA backend. Results must equal the CPU run bit for bit. Every operation but
 * allocation reaches the CPU backend through {@link #toDelegate}, which swaps each device tensor for its real memory.
 */
public final class HostDeviceSimulationBackend extends ForwardingBackend {

    public HostDeviceSimulationBackend(int threads) {
        super(new CpuBackend(threads));
    }

    @Override public String name() { return "host-device-simulation"; }
    @Override public String description() { return "test: the CPU backend behind device-only tensors"; }

    /** A device allocation: the decoy segment its tensors carry and the memory that really holds the values. */
    private record Region(long decoyAddress, MemorySegment real) {
    }

    /** Regions by decoy address; a region leaves when its scope closes (the address may then be reused). */
    private final TreeMap<Long, Region> regions = new TreeMap<>();

    /**
     * Device memory here is host memory that only this backend dereferences. The tensor carries a decoy segment
     * filled with 0xFF bytes (NaN as floats, -1 as ints) and the values live elsewhere, so code that bypasses the
     * accessors and reads or writes {@link Tensor#segment()} directly, which would fault on a GPU, reads garbage or
     * writes nowhere here, and the bit-for-bit comparisons catch it.
     */
    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        if (scope == null || dtype == null || shape == null) throw new IllegalArgumentException("allocate: null argument");
        long bytes = shape.numel() * dtype.byteSize();
        MemorySegment decoy = scope.allocateHost(bytes);
        decoy.fill((byte) 0xFF);
        MemorySegment real = scope.allocateHost(bytes);
        long address = decoy.address();
        synchronized (regions) {
            regions.put(address, new Region(address, real));
        }
        scope.onClose(() -> {
            synchronized (regions) {
                regions.remove(address);
            }
        });
        return new Tensor(shape, dtype, decoy, false);
    }

    /** The host view the CPU backend computes on; a host tensor passed to an op is a bug a device backend would hit. */
    @Override
    protected Tensor toDelegate(String op, Tensor t) {
        if (t == null) return null;
        if (t.isHost()) {
            throw new IllegalArgumentException(op + ": " + t + " is a host tensor; a device backend needs it uploaded first");
        }
        long address = t.segment().address();
        Region r;
        synchronized (regions) {
            var e = regions.floorEntry(address);
            r = e == null ? null : e.getValue();
        }
        long offset = r == null ? -1 : address - r.decoyAddress();
        if (r == null || offset + t.byteSize() > r.real().byteSize()) {
            throw new IllegalStateException(op + ": " + t + " is not live memory of this backend (freed, or another backend's)");
        }
        return new Tensor(t.shape(), t.dtype(), r.real().asSlice(offset, t.byteSize()), true);
    }
}
