package org.edgeq.backend.cuda;

/** The key GEMM choices and cuBLASLt plans are remembered by: the problem size and the transposes. */
record GemmShape(int m, int n, int k, boolean transA, boolean transB) {
}
