package org.edgeq.hwsim;
/** C[m][n] = sum_k A[m][k] * B[n][k] over int8 codes (int4/int2 codes stored one per byte), accumulated in an
 *  accumulator of accBits (32, 24 or 16) that saturates; returns how many of the m*n*k partial sums saturated. */
public interface IntGemm {
    long gemm(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits);
}
