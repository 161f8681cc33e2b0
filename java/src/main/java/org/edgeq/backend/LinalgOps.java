package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/**
 * The linear-algebra family of the {@link Backend} SPI: the matrix product, BLAS-1 updates, row and bias arithmetic
 * and the whole-tensor reductions (x, y same numel unless stated).
 */
public sealed interface LinalgOps permits Backend {

    /**
     * C = alpha * op(A) * op(B) + beta * C where op(X) is X or its transpose. A, B, C are 2-D F32; after op,
     * A is [m, k], B is [k, n], C is [m, n]. With beta == 0, C's previous contents are ignored (NaN does not leak).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /** y += alpha * x. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** x *= alpha, in place. */
    void scale(Tensor x, float alpha);

    /** Adds bias[j] to every row of the matrix x [rows, cols], in place; bias has cols elements. */
    void addRowVector(Tensor x, Tensor bias);

    /** out[j] = beta * out[j] + sum over rows i of x[i, j]; x is [rows, cols], out has cols elements. */
    void sumRows(Tensor x, Tensor out, float beta);

    /** Sum of all elements, accumulated in double. */
    double sum(Tensor x);

    /** Sum of squares of all elements, accumulated in double. */
    double sumOfSquares(Tensor x);

    /** True when every element is finite (no NaN or infinity). */
    boolean allFinite(Tensor x);
}
