package org.edgeq.hwsim;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked int32 micro-kernel of the Vector API int8 GEMM: one packed MR-row micro-panel of A times one packed
 * two-vector-wide (NR = 2 * V columns) micro-panel of B, both widened to int when packed, into an MR x NR tile; 12
 * rows (24 accumulators) with 32 vector registers (AVX-512), 6 rows otherwise. Products and sums wrap modulo 2^32.
 *
 * <p>The Java Vector API has no int8 dot-product instruction, so every multiply-add here is an int32 multiply and an
 * add on widened codes; that is why the native VNNI kernel exists. Fully unrolled over the tile as in
 * org.edgeq.backend.cpu.GemmMicroKernel: every accumulator is a named local so C2 keeps it in a register.
 */
final class IntGemmMicroKernel {
    static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    static final int V = SPECIES.length();
    /** 512-bit vectors come with 32 registers (AVX-512); narrower ones with 16 (AVX2) or 32 small ones (NEON). */
    private static final boolean WIDE = V >= 16;
    /** Rows of a micro-tile. */
    static final int MR = WIDE ? 12 : 6;
    /** Columns of a micro-tile: 2 vectors. */
    static final int NR = 2 * V;

    private IntGemmMicroKernel() {
    }

    /**
     * out[0 .. MR*NR) = Apanel * Bpanel (row-major MR x NR), where Apanel holds MR ints per k step from {@code ai}
     * and Bpanel NR ints per k step from {@code bi}.
     */
    static void tile(int kc, int[] a, int ai, int[] b, int bi, int[] out) {
        if (WIDE) {
            tile12(kc, a, ai, b, bi, out);
        } else {
            tile6(kc, a, ai, b, bi, out);
        }
    }

    private static void tile12(int kc, int[] a, int ai, int[] b, int bi, int[] out) {
        IntVector c0_0 = IntVector.zero(SPECIES);
        IntVector c0_1 = c0_0;
        IntVector c1_0 = c0_0;
        IntVector c1_1 = c0_0;
        IntVector c2_0 = c0_0;
        IntVector c2_1 = c0_0;
        IntVector c3_0 = c0_0;
        IntVector c3_1 = c0_0;
        IntVector c4_0 = c0_0;
        IntVector c4_1 = c0_0;
        IntVector c5_0 = c0_0;
        IntVector c5_1 = c0_0;
        IntVector c6_0 = c0_0;
        IntVector c6_1 = c0_0;
        IntVector c7_0 = c0_0;
        IntVector c7_1 = c0_0;
        IntVector c8_0 = c0_0;
        IntVector c8_1 = c0_0;
        IntVector c9_0 = c0_0;
        IntVector c9_1 = c0_0;
        IntVector c10_0 = c0_0;
        IntVector c10_1 = c0_0;
        IntVector c11_0 = c0_0;
        IntVector c11_1 = c0_0;
        int aEnd = ai + kc * 12;
        for (int ap = ai, bp = bi; ap < aEnd; ap += 12, bp += NR) {
            IntVector b0 = IntVector.fromArray(SPECIES, b, bp);
            IntVector b1 = IntVector.fromArray(SPECIES, b, bp + V);
            IntVector a0 = IntVector.broadcast(SPECIES, a[ap + 0]);
            c0_0 = b0.mul(a0).add(c0_0);
            c0_1 = b1.mul(a0).add(c0_1);
            IntVector a1 = IntVector.broadcast(SPECIES, a[ap + 1]);
            c1_0 = b0.mul(a1).add(c1_0);
            c1_1 = b1.mul(a1).add(c1_1);
            IntVector a2 = IntVector.broadcast(SPECIES, a[ap + 2]);
            c2_0 = b0.mul(a2).add(c2_0);
            c2_1 = b1.mul(a2).add(c2_1);
            IntVector a3 = IntVector.broadcast(SPECIES, a[ap + 3]);
            c3_0 = b0.mul(a3).add(c3_0);
            c3_1 = b1.mul(a3).add(c3_1);
            IntVector a4 = IntVector.broadcast(SPECIES, a[ap + 4]);
            c4_0 = b0.mul(a4).add(c4_0);
            c4_1 = b1.mul(a4).add(c4_1);
            IntVector a5 = IntVector.broadcast(SPECIES, a[ap + 5]);
            c5_0 = b0.mul(a5).add(c5_0);
            c5_1 = b1.mul(a5).add(c5_1);
            IntVector a6 = IntVector.broadcast(SPECIES, a[ap + 6]);
            c6_0 = b0.mul(a6).add(c6_0);
            c6_1 = b1.mul(a6).add(c6_1);
            IntVector a7 = IntVector.broadcast(SPECIES, a[ap + 7]);
            c7_0 = b0.mul(a7).add(c7_0);
            c7_1 = b1.mul(a7).add(c7_1);
            IntVector a8 = IntVector.broadcast(SPECIES, a[ap + 8]);
            c8_0 = b0.mul(a8).add(c8_0);
            c8_1 = b1.mul(a8).add(c8_1);
            IntVector a9 = IntVector.broadcast(SPECIES, a[ap + 9]);
            c9_0 = b0.mul(a9).add(c9_0);
            c9_1 = b1.mul(a9).add(c9_1);
            IntVector a10 = IntVector.broadcast(SPECIES, a[ap + 10]);
            c10_0 = b0.mul(a10).add(c10_0);
            c10_1 = b1.mul(a10).add(c10_1);
            IntVector a11 = IntVector.broadcast(SPECIES, a[ap + 11]);
            c11_0 = b0.mul(a11).add(c11_0);
            c11_1 = b1.mul(a11).add(c11_1);
        }
        c0_0.intoArray(out, 0 * NR);
        c0_1.intoArray(out, 0 * NR + V);
        c1_0.intoArray(out, 1 * NR);
        c1_1.intoArray(out, 1 * NR + V);
        c2_0.intoArray(out, 2 * NR);
        c2_1.intoArray(out, 2 * NR + V);
        c3_0.intoArray(out, 3 * NR);
        c3_1.intoArray(out, 3 * NR + V);
        c4_0.intoArray(out, 4 * NR);
        c4_1.intoArray(out, 4 * NR + V);
        c5_0.intoArray(out, 5 * NR);
        c5_1.intoArray(out, 5 * NR + V);
        c6_0.intoArray(out, 6 * NR);
        c6_1.intoArray(out, 6 * NR + V);
        c7_0.intoArray(out, 7 * NR);
        c7_1.intoArray(out, 7 * NR + V);
        c8_0.intoArray(out, 8 * NR);
        c8_1.intoArray(out, 8 * NR + V);
        c9_0.intoArray(out, 9 * NR);
        c9_1.intoArray(out, 9 * NR + V);
        c10_0.intoArray(out, 10 * NR);
        c10_1.intoArray(out, 10 * NR + V);
        c11_0.intoArray(out, 11 * NR);
        c11_1.intoArray(out, 11 * NR + V);
    }

    private static void tile6(int kc, int[] a, int ai, int[] b, int bi, int[] out) {
        IntVector c0_0 = IntVector.zero(SPECIES);
        IntVector c0_1 = c0_0;
        IntVector c1_0 = c0_0;
        IntVector c1_1 = c0_0;
        IntVector c2_0 = c0_0;
        IntVector c2_1 = c0_0;
        IntVector c3_0 = c0_0;
        IntVector c3_1 = c0_0;
        IntVector c4_0 = c0_0;
        IntVector c4_1 = c0_0;
        IntVector c5_0 = c0_0;
        IntVector c5_1 = c0_0;
        int aEnd = ai + kc * 6;
        for (int ap = ai, bp = bi; ap < aEnd; ap += 6, bp += NR) {
            IntVector b0 = IntVector.fromArray(SPECIES, b, bp);
            IntVector b1 = IntVector.fromArray(SPECIES, b, bp + V);
            IntVector a0 = IntVector.broadcast(SPECIES, a[ap + 0]);
            c0_0 = b0.mul(a0).add(c0_0);
            c0_1 = b1.mul(a0).add(c0_1);
            IntVector a1 = IntVector.broadcast(SPECIES, a[ap + 1]);
            c1_0 = b0.mul(a1).add(c1_0);
            c1_1 = b1.mul(a1).add(c1_1);
            IntVector a2 = IntVector.broadcast(SPECIES, a[ap + 2]);
            c2_0 = b0.mul(a2).add(c2_0);
            c2_1 = b1.mul(a2).add(c2_1);
            IntVector a3 = IntVector.broadcast(SPECIES, a[ap + 3]);
            c3_0 = b0.mul(a3).add(c3_0);
            c3_1 = b1.mul(a3).add(c3_1);
            IntVector a4 = IntVector.broadcast(SPECIES, a[ap + 4]);
            c4_0 = b0.mul(a4).add(c4_0);
            c4_1 = b1.mul(a4).add(c4_1);
            IntVector a5 = IntVector.broadcast(SPECIES, a[ap + 5]);
            c5_0 = b0.mul(a5).add(c5_0);
            c5_1 = b1.mul(a5).add(c5_1);
        }
        c0_0.intoArray(out, 0 * NR);
        c0_1.intoArray(out, 0 * NR + V);
        c1_0.intoArray(out, 1 * NR);
        c1_1.intoArray(out, 1 * NR + V);
        c2_0.intoArray(out, 2 * NR);
        c2_1.intoArray(out, 2 * NR + V);
        c3_0.intoArray(out, 3 * NR);
        c3_1.intoArray(out, 3 * NR + V);
        c4_0.intoArray(out, 4 * NR);
        c4_1.intoArray(out, 4 * NR + V);
        c5_0.intoArray(out, 5 * NR);
        c5_1.intoArray(out, 5 * NR + V);
    }
}
