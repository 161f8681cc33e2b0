package org.edgeq.tensor;

/** Element types a tensor can hold; the byte size is what memory and file sizes are computed from. */
public enum DType {
    F32(4), F16(2), BF16(2), I8(1), I32(4), U8(1),
    /** Read only so that a PyTorch state dict's BatchNorm counters ({@code num_batches_tracked}) parse; no op computes in it. */
    I64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The name safetensors uses for this type. */
    public String safetensorsName() {
        return name();
    }

    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName().equals(name)) return t;
        }
        throw new IllegalArgumentException("unsupported dtype '" + name + "' (supported: F32, F16, BF16, I8, I32, U8, I64)");
    }
}
