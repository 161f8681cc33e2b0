package org.edgeq.backend;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/** The memory family of the {@link Backend} SPI: allocating tensors, moving values between host and backend, filling and copying. */
public sealed interface MemoryOps permits Backend {

    /** Allocates a zeroed tensor owned by {@code scope}. */
    Tensor allocate(TensorScope scope, DType dtype, Shape shape);

    default Tensor allocate(TensorScope scope, DType dtype, int... dims) {
        return allocate(scope, dtype, Shape.of(dims));
    }

    /** Copies host values into {@code dst} (length must equal dst.numel()). */
    void upload(float[] src, Tensor dst);

    /** Copies host int values into an I32 tensor. */
    void upload(int[] src, Tensor dst);

    /** Copies {@code src} into a host array of length src.numel(). */
    void download(Tensor src, float[] dst);

    /** Copies an I32 tensor into a host int array of length src.numel(). */
    void download(Tensor src, int[] dst);

    /** x[i] = value for every element. */
    void fill(Tensor x, float value);

    /** y = x (same numel). */
    void copy(Tensor x, Tensor y);
}
