package org.edgeq.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernel: multiplies one packed MR-row micro-panel of A by one packed two-vector-wide
 * (NR = 2 * V columns) micro-panel of B into an MR x NR tile, with MR chosen so the accumulators fill the register
 * file: 12 rows (24 accumulators) with 32 vector registers (AVX-512), 6 rows (12 accumulators) otherwise.
 *
 * <p>Fully unrolled over the tile (the source is mechanical on purpose): every accumulator is a named local so
 * that C2 keeps all of them in vector registers across the k loop (arrays of vectors would spill).
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int V = SPECIES.length();
    /** 512-bit vectors come with 32 registers (AVX-512); narrower ones with 16 (AVX2) or 32 small ones (NEON). */
    private static final boolean WIDE = V >= 16;
    /** Rows of a micro-tile (rows of A broadcast per k step). */
    static final int MR = WIDE ? 12 : 6;
    /** Columns of a micro-tile: 2 vectors. */
    static final int NR = 2 * V;

    private GemmMicroKernel() {
    }

    /**
     * out[0..MR*NR) = Apanel * Bpanel (row-major MR x NR), where Apanel holds MR floats per k step starting at
     * {@code ai} and Bpanel holds NR floats per k step starting at {@code bi}. The alpha/beta update of C is left
     * to the caller: keeping it out of this method keeps it small enough for C1 to compile and for C2 to hold
     * every accumulator in a register.
     */
    static void tile(int kc, float[] a, int ai, float[] b, int bi, float[] out) {
        if (WIDE) {
            tile12(kc, a, ai, b, bi, out);
        } else {
            tile6(kc, a, ai, b, bi, out);
        }
    }

    private static void tile12(int kc, float[] a, int ai, float[] b, int bi, float[] out) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c4_1 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c5_1 = c0_0;
        FloatVector c6_0 = c0_0;
        FloatVector c6_1 = c0_0;
        FloatVector c7_0 = c0_0;
        FloatVector c7_1 = c0_0;
        FloatVector c8_0 = c0_0;
        FloatVector c8_1 = c0_0;
        FloatVector c9_0 = c0_0;
        FloatVector c9_1 = c0_0;
        FloatVector c10_0 = c0_0;
        FloatVector c10_1 = c0_0;
        FloatVector c11_0 = c0_0;
        FloatVector c11_1 = c0_0;
        int aEnd = ai + kc * 12;
        for (int ap = ai, bp = bi; ap < aEnd; ap += 12, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + 1 * V);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ap + 0]);
            c0_0 = b0.fma(a0, c0_0);
            c0_1 = b1.fma(a0, c0_1);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c1_0 = b0.fma(a1, c1_0);
            c1_1 = b1.fma(a1, c1_1);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c2_0 = b0.fma(a2, c2_0);
            c2_1 = b1.fma(a2, c2_1);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c3_0 = b0.fma(a3, c3_0);
            c3_1 = b1.fma(a3, c3_1);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c4_0 = b0.fma(a4, c4_0);
            c4_1 = b1.fma(a4, c4_1);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c5_0 = b0.fma(a5, c5_0);
            c5_1 = b1.fma(a5, c5_1);
            FloatVector a6 = FloatVector.broadcast(SPECIES, a[ap + 6]);
            c6_0 = b0.fma(a6, c6_0);
            c6_1 = b1.fma(a6, c6_1);
            FloatVector a7 = FloatVector.broadcast(SPECIES, a[ap + 7]);
            c7_0 = b0.fma(a7, c7_0);
            c7_1 = b1.fma(a7, c7_1);
            FloatVector a8 = FloatVector.broadcast(SPECIES, a[ap + 8]);
            c8_0 = b0.fma(a8, c8_0);
            c8_1 = b1.fma(a8, c8_1);
            FloatVector a9 = FloatVector.broadcast(SPECIES, a[ap + 9]);
            c9_0 = b0.fma(a9, c9_0);
            c9_1 = b1.fma(a9, c9_1);
            FloatVector a10 = FloatVector.broadcast(SPECIES, a[ap + 10]);
            c10_0 = b0.fma(a10, c10_0);
            c10_1 = b1.fma(a10, c10_1);
            FloatVector a11 = FloatVector.broadcast(SPECIES, a[ap + 11]);
            c11_0 = b0.fma(a11, c11_0);
            c11_1 = b1.fma(a11, c11_1);
        }
        c0_0.intoArray(out, 0 * NR);
        c0_1.intoArray(out, 0 * NR + 1 * V);
        c1_0.intoArray(out, 1 * NR);
        c1_1.intoArray(out, 1 * NR + 1 * V);
        c2_0.intoArray(out, 2 * NR);
        c2_1.intoArray(out, 2 * NR + 1 * V);
        c3_0.intoArray(out, 3 * NR);
        c3_1.intoArray(out, 3 * NR + 1 * V);
        c4_0.intoArray(out, 4 * NR);
        c4_1.intoArray(out, 4 * NR + 1 * V);
        c5_0.intoArray(out, 5 * NR);
        c5_1.intoArray(out, 5 * NR + 1 * V);
        c6_0.intoArray(out, 6 * NR);
        c6_1.intoArray(out, 6 * NR + 1 * V);
        c7_0.intoArray(out, 7 * NR);
        c7_1.intoArray(out, 7 * NR + 1 * V);
        c8_0.intoArray(out, 8 * NR);
        c8_1.intoArray(out, 8 * NR + 1 * V);
        c9_0.intoArray(out, 9 * NR);
        c9_1.intoArray(out, 9 * NR + 1 * V);
        c10_0.intoArray(out, 10 * NR);
        c10_1.intoArray(out, 10 * NR + 1 * V);
        c11_0.intoArray(out, 11 * NR);
        c11_1.intoArray(out, 11 * NR + 1 * V);
    }

    private static void tile6(int kc, float[] a, int ai, float[] b, int bi, float[] out) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c4_1 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c5_1 = c0_0;
        int aEnd = ai + kc * 6;
        for (int ap = ai, bp = bi; ap < aEnd; ap += 6, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + 1 * V);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ap + 0]);
            c0_0 = b0.fma(a0, c0_0);
            c0_1 = b1.fma(a0, c0_1);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c1_0 = b0.fma(a1, c1_0);
            c1_1 = b1.fma(a1, c1_1);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c2_0 = b0.fma(a2, c2_0);
            c2_1 = b1.fma(a2, c2_1);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c3_0 = b0.fma(a3, c3_0);
            c3_1 = b1.fma(a3, c3_1);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c4_0 = b0.fma(a4, c4_0);
            c4_1 = b1.fma(a4, c4_1);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c5_0 = b0.fma(a5, c5_0);
            c5_1 = b1.fma(a5, c5_1);
        }
        c0_0.intoArray(out, 0 * NR);
        c0_1.intoArray(out, 0 * NR + 1 * V);
        c1_0.intoArray(out, 1 * NR);
        c1_1.intoArray(out, 1 * NR + 1 * V);
        c2_0.intoArray(out, 2 * NR);
        c2_1.intoArray(out, 2 * NR + 1 * V);
        c3_0.intoArray(out, 3 * NR);
        c3_1.intoArray(out, 3 * NR + 1 * V);
        c4_0.intoArray(out, 4 * NR);
        c4_1.intoArray(out, 4 * NR + 1 * V);
        c5_0.intoArray(out, 5 * NR);
        c5_1.intoArray(out, 5 * NR + 1 * V);
    }
}
