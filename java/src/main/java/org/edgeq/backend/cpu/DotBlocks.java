package org.edgeq.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;


/**
 * C = A B^T where A and B both hold their rows along the long inner dimension (C[i][j] is the dot product of row i
 * of A with row j of B), for products whose operands come out of a transform in that layout: packing them for
 * {@link GemmMicroKernel} would mean transposing both. Four rows of A meet four rows of B per pass, so each loaded
 * vector feeds four FMAs; each element's sum runs in an order fixed by the depth.
 */
final class DotBlocks {
    private static final VectorSpecies<Float> FS = CpuElementwise.FS;
    private static final int V = FS.length();

    /** Per-thread lane-wise partial sums of one 4x4 block. */
    private static final ThreadLocal<float[]> PARTIAL = ThreadLocal.withInitial(() -> new float[16 * V]);

    private DotBlocks() {
    }

    /**
     * c[cOff + i * bRows + j] (+)= sum over k < depth of a[aOff + i * ld + k] * b[bOff + j * ld + k] for i < aRows,
     * j < bRows.
     */
    static void multiply(float[] a, int aOff, int aRows, float[] b, int bOff, int bRows, int ld, int depth,
                         float[] c, int cOff, boolean accumulate) {
        float[] partial = PARTIAL.get();
        int i = 0;
        for (; i + 4 <= aRows; i += 4) {
            int j = 0;
            for (; j + 4 <= bRows; j += 4) {
                block4x4(a, aOff + i * ld, b, bOff + j * ld, ld, depth, partial, c, cOff + i * bRows + j, bRows, accumulate);
            }
            for (; j < bRows; j++) {
                for (int r = i; r < i + 4; r++) {
                    c[cOff + r * bRows + j] = store(c[cOff + r * bRows + j], dot(a, aOff + r * ld, b, bOff + j * ld, depth), accumulate);
                }
            }
        }
        for (; i < aRows; i++) {
            for (int j = 0; j < bRows; j++) {
                c[cOff + i * bRows + j] = store(c[cOff + i * bRows + j], dot(a, aOff + i * ld, b, bOff + j * ld, depth), accumulate);
            }
        }
    }

    private static float store(float old, float value, boolean accumulate) {
        return accumulate ? old + value : value;
    }

    /** One 4x4 block of C: rows a0.. of A (ld apart) against rows b0.. of B. */
    private static void block4x4(float[] a, int a0, float[] b, int b0, int ld, int depth, float[] partial,
                                 float[] c, int cAt, int ldc, boolean accumulate) {
        int bound = FS.loopBound(depth);
        kernel4x4(a, a0, b, b0, ld, bound, partial);
        for (int r = 0; r < 4; r++) {
            int ar = a0 + r * ld;
            for (int s = 0; s < 4; s++) {
                float d = Lanes.sum(FloatVector.fromArray(FS, partial, (4 * r + s) * V));
                int bs = b0 + s * ld;
                for (int k = bound; k < depth; k++) d += a[ar + k] * b[bs + k];
                int at = cAt + r * ldc + s;
                c[at] = store(c[at], d, accumulate);
            }
        }
    }

    /**
     * partial[(4r + s) * V ..] = the lane-wise partial sums of row r of A times row s of B over {@code bound} floats.
     * Only the FMA loop lives here, which keeps the method small enough for C2 to inline and intrinsify every vector
     * operation and hold the 16 accumulators in registers.
     */
    private static void kernel4x4(float[] a, int pa, float[] b, int pb, int ld, int bound, float[] partial) {
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a1 = pa + ld, a2 = a1 + ld, a3 = a2 + ld, b1 = pb + ld, b2 = b1 + ld, b3 = b2 + ld;
        for (int k = 0; k < bound; k += V) {
            FloatVector x0 = FloatVector.fromArray(FS, a, pa + k);
            FloatVector x1 = FloatVector.fromArray(FS, a, a1 + k);
            FloatVector x2 = FloatVector.fromArray(FS, a, a2 + k);
            FloatVector x3 = FloatVector.fromArray(FS, a, a3 + k);
            FloatVector y = FloatVector.fromArray(FS, b, pb + k);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(FS, b, b1 + k);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(FS, b, b2 + k);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = FloatVector.fromArray(FS, b, b3 + k);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
        }
        c00.intoArray(partial, 0);
        c01.intoArray(partial, V);
        c02.intoArray(partial, 2 * V);
        c03.intoArray(partial, 3 * V);
        c10.intoArray(partial, 4 * V);
        c11.intoArray(partial, 5 * V);
        c12.intoArray(partial, 6 * V);
        c13.intoArray(partial, 7 * V);
        c20.intoArray(partial, 8 * V);
        c21.intoArray(partial, 9 * V);
        c22.intoArray(partial, 10 * V);
        c23.intoArray(partial, 11 * V);
        c30.intoArray(partial, 12 * V);
        c31.intoArray(partial, 13 * V);
        c32.intoArray(partial, 14 * V);
        c33.intoArray(partial, 15 * V);
    }

    /** One element of C the same way: vector partial sums over whole vectors, then the tail in order. */
    private static float dot(float[] a, int a0, float[] b, int b0, int depth) {
        FloatVector sum = FloatVector.zero(FS);
        int bound = FS.loopBound(depth);
        for (int k = 0; k < bound; k += V) {
            sum = FloatVector.fromArray(FS, a, a0 + k).fma(FloatVector.fromArray(FS, b, b0 + k), sum);
        }
        float d = Lanes.sum(sum);
        for (int k = bound; k < depth; k++) d += a[a0 + k] * b[b0 + k];
        return d;
    }
}
