package org.edgeq.checkpoint;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;

/**
 * One tensor's entry in a safetensors header: its name, type, shape and byte range within the data section
 * ({@code begin} inclusive, {@code end} exclusive, counted from the first byte after the header).
 */
public record TensorEntry(String name, DType dtype, Shape shape, long begin, long end) {

    public long byteSize() {
        return end - begin;
    }

    /** "F32[2, 3]", the form used in messages. */
    public String describe() {
        return dtype + shape.toString();
    }
}
