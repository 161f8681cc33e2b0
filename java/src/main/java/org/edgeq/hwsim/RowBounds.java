package org.edgeq.hwsim;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-row magnitudes of an int8 code matrix [rows, k]: the largest |code| and the sum of |code| of each row. They
 * bound every partial sum of a dot product without computing it: |sum_{p<=t} a_p b_p| <= sum_p |a_p| |b_p|
 * <= min(max|a| * sum|b|, max|b| * sum|a|), which is how {@link CpuIntGemm} proves that an output cannot saturate.
 */
record RowBounds(int[] maxAbs, long[] absSum, int maxAbsAll) {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** Bytes that widen into one int vector (16 bytes for 16 int lanes). */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.vectorBitSize() / 4));
    /**
     * Longest row summed in int lanes: the lanes' total (reduceLanes adds in int) is at most 128 per code, below
     * 2^31 for 2^20 codes with room to spare; longer rows are summed in a long.
     */
    private static final int VECTOR_ROW_LIMIT = 1 << 20;

    /** The magnitudes of the first rows * k codes of x, row-major. */
    static RowBounds of(byte[] x, int rows, int k) {
        int[] maxAbs = new int[rows];
        long[] absSum = new long[rows];
        int all = 0;
        int v = INTS.length();
        for (int r = 0; r < rows; r++) {
            int off = r * k;
            int p = 0;
            int max = 0;
            long sum = 0;
            if (k <= VECTOR_ROW_LIMIT) {
                IntVector vmax = IntVector.zero(INTS);
                IntVector vsum = IntVector.zero(INTS);
                for (; p + v <= k; p += v) {
                    IntVector w = ((IntVector) ByteVector.fromArray(BYTES, x, off + p)
                            .convertShape(VectorOperators.B2I, INTS, 0)).lanewise(VectorOperators.ABS);
                    vmax = vmax.max(w);
                    vsum = vsum.add(w);
                }
                max = vmax.reduceLanes(VectorOperators.MAX);
                sum = vsum.reduceLanesToLong(VectorOperators.ADD);
            }
            for (; p < k; p++) {
                int w = Math.abs(x[off + p]);
                max = Math.max(max, w);
                sum += w;
            }
            maxAbs[r] = max;
            absSum[r] = sum;
            all = Math.max(all, max);
        }
        return new RowBounds(maxAbs, absSum, all);
    }

    /** A bound on every partial sum of row i of this matrix dotted with row j of {@code other}. */
    long bound(int i, RowBounds other, int j) {
        return Math.min((long) maxAbs[i] * other.absSum[j], (long) other.maxAbs[j] * absSum[i]);
    }
}
