package org.edgeq.backend.cuda;

/**
 * A row-major GEMM {@code C[m, n] = op(A) op(B)} restated for a column-major library (cuBLASLt): a row-major
 * [r, c] matrix is the column-major [c, r] matrix with leading dimension c, so C^T = op(B)^T op(A)^T is computed
 * with our B as the library's first operand and our A as its second, and C read as the column-major [n, m] result.
 *
 * <p>{@code firstRows x firstCols} (leading dimension {@code ldFirst}) describes how the first operand (our B) is
 * stored before the library applies {@code transposeFirst}; the same for the second (our A); the result is
 * {@code rows = n} by {@code cols = m} with leading dimension {@code ldResult = n}. The library's (m, n, k) are
 * (n, m, k).
 */
record ColumnMajorGemm(boolean transposeFirst, long firstRows, long firstCols, long ldFirst,
                       boolean transposeSecond, long secondRows, long secondCols, long ldSecond,
                       long rows, long cols, long ldResult, long k) {

    /**
     * The mapping of row-major {@code C[m, n] = op(A) op(B)} where A is stored [aRows, aCols] and B [bRows, bCols]
     * (op(A) = A^T when transA, so A is [k, m]; likewise B).
     */
    static ColumnMajorGemm of(boolean transA, boolean transB, int m, int n, int k) {
        long aRows = transA ? k : m, aCols = transA ? m : k;
        long bRows = transB ? n : k, bCols = transB ? k : n;
        // B stored row-major [bRows, bCols] reads column-major as B^T [bCols, bRows]. op(B)^T is [n, k]: without
        // transB that is B^T itself (no op); with transB it is B, so the library transposes what it reads.
        return new ColumnMajorGemm(transB, bCols, bRows, bCols,
                transA, aCols, aRows, aCols,
                n, m, n, k);
    }

    /**
     * The int8 GEMM of {@code CudaBackend.gemmInt8}: row-major A [m, k], B [n, k], C [m, n] = A B^T. In column-major
     * terms the first operand (our B, read as [k, n]) is transposed and the second (our A, read as [k, m]) is not:
     * the "TN" form cuBLASLt's int8 (IMMA) kernels require.
     */
    static ColumnMajorGemm int8(int m, int n, int k) {
        return of(false, true, m, n, k);
    }
}
