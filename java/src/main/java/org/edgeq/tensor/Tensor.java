package org.edgeq.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A dense row-major tensor: a shape, a dtype and a memory segment owned by a {@link TensorScope}.
 *
 * <p>For host tensors ({@link #isHost()}) the element accessors read and write the segment directly; device
 * tensors carry a segment that only their backend may dereference, and the accessors refuse them.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private final Shape shape;
    private final DType dtype;
    private final MemorySegment segment;
    private final boolean host;

    public Tensor(Shape shape, DType dtype, MemorySegment segment, boolean host) {
        this.shape = Objects.requireNonNull(shape);
        this.dtype = Objects.requireNonNull(dtype);
        this.segment = Objects.requireNonNull(segment);
        this.host = host;
        long need = shape.numel() * dtype.byteSize();
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes too small for " + dtype + shape);
        }
    }

    /** Allocates a zeroed host tensor in {@code scope}. */
    public static Tensor host(TensorScope scope, DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, dtype, scope.allocateHost(s.numel() * dtype.byteSize()), true);
    }

    /** Allocates a host F32 tensor in {@code scope} holding a copy of {@code values}. */
    public static Tensor of(TensorScope scope, float[] values, int... dims) {
        Tensor t = host(scope, DType.F32, dims);
        if (t.numel() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + t.shape());
        }
        t.copyFrom(values);
        return t;
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public MemorySegment segment() {
        return segment;
    }

    public boolean isHost() {
        return host;
    }

    public long numel() {
        return shape.numel();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public long byteSize() {
        return numel() * dtype.byteSize();
    }

    /**
     * A view over the first {@code rows} rows (first dimension) of this tensor, sharing memory. Used for the
     * smaller last batch of an epoch without allocating.
     */
    public Tensor firstRows(int rows) {
        if (rows < 0 || rows > shape.dim(0)) {
            throw new IllegalArgumentException("rows " + rows + " outside 0.." + shape.dim(0) + " of " + shape);
        }
        Shape s = shape.withFirst(rows);
        return new Tensor(s, dtype, segment.asSlice(0, s.numel() * dtype.byteSize()), host);
    }

    /** A view with another shape of the same element count, sharing memory. */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != numel()) throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        return new Tensor(s, dtype, segment, host);
    }

    public float getFloat(long index) {
        requireHost(DType.F32);
        return segment.getAtIndex(F32, index);
    }

    public void setFloat(long index, float value) {
        requireHost(DType.F32);
        segment.setAtIndex(F32, index, value);
    }

    public int getInt(long index) {
        requireHost(DType.I32);
        return segment.getAtIndex(I32, index);
    }

    public void setInt(long index, int value) {
        requireHost(DType.I32);
        segment.setAtIndex(I32, index, value);
    }

    public void copyFrom(float[] values) {
        requireHost(DType.F32);
        if (values.length != numel()) throw new IllegalArgumentException(values.length + " values for " + shape);
        MemorySegment.copy(values, 0, segment, F32, 0, values.length);
    }

    public void copyFrom(int[] values) {
        requireHost(DType.I32);
        if (values.length != numel()) throw new IllegalArgumentException(values.length + " values for " + shape);
        MemorySegment.copy(values, 0, segment, I32, 0, values.length);
    }

    public float[] toFloatArray() {
        requireHost(DType.F32);
        return segment.asSlice(0, byteSize()).toArray(ValueLayout.JAVA_FLOAT);
    }

    public int[] toIntArray() {
        requireHost(DType.I32);
        return segment.asSlice(0, byteSize()).toArray(ValueLayout.JAVA_INT);
    }

    private void requireHost(DType expected) {
        if (!host) throw new IllegalStateException("tensor " + shape + " lives on a device; copy it to the host first");
        if (dtype != expected) throw new IllegalStateException("tensor is " + dtype + ", not " + expected);
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype + (host ? "" : " (device)");
    }
}
