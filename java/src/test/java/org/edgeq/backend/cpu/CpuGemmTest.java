package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CpuGemmTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int[] AWKWARD = {1, 3, 17, 33, 257};

    /** Which entry point runs a problem. */
    private enum Path { SERIAL, POOLED, SHARED_B_ROWS, PACKED_A }

    private static WorkerPool pool;
    private static CpuGemm pooled;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
        pooled = new CpuGemm(pool);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** One GEMM problem laid out with padded leading dimensions and nonzero offsets. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                           int padA, int padB, int padC, long offA, long offB, long offC) {
        int lda() {
            return (transA ? m : k) + padA;
        }

        int ldb() {
            return (transB ? k : n) + padB;
        }

        int ldc() {
            return n + padC;
        }

        long aFloats() {
            return offA + (long) (transA ? k : m) * lda();
        }

        long bFloats() {
            return offB + (long) (transB ? n : k) * ldb();
        }

        long cFloats() {
            return offC + (long) m * ldc();
        }

        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                    + " alpha=" + alpha + " beta=" + beta + " lda=" + lda() + " ldb=" + ldb() + " ldc=" + ldc();
        }
    }

    @Test
    void gemmMatchesNaiveLoopsOnAwkwardShapesInAllTransposeCases() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int m : AWKWARD) {
            for (int n : AWKWARD) {
                for (int k : AWKWARD) {
                    if ((long) m * n * k > 257L * 257 * 33) continue; // keep the three-257 cube out; see below
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0;
                        boolean tb = (t & 2) != 0;
                        float alpha = (float) rnd.nextDouble(-2, 2);
                        float beta = switch ((m + n + k + t) % 3) {
                            case 0 -> 0f;
                            case 1 -> 1f;
                            default -> (float) rnd.nextDouble(-1.5, 1.5);
                        };
                        Problem p = new Problem(ta, tb, m, n, k, alpha, beta, (m + t) % 5, (n + t) % 4, (k + t) % 3,
                                t * 3L, (t + 1) * 5L, (t + 2) % 3);
                        check(p, rnd, (t + m + n + k) % 2 == 0);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesNaiveLoopsOnLargeNonSquareBlockedProblems() {
        SplittableRandom rnd = new SplittableRandom(11);
        // Each shape crosses one of the MC / NC / KC block boundaries with a ragged remainder.
        int[][] shapes = {
            {GemmBlocked.MC + 11, 40, 50}, {30, GemmBlocked.NC + 18, 40}, {25, 37, GemmBlocked.KC + 16}, {197, 545, 13}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0.75f, t == 3 ? 0f : -0.5f,
                        3, 1, 2, 1, 2, 3);
                check(p, rnd, Path.POOLED, Float.NaN);
                check(p, rnd, Path.SERIAL, Float.NaN);
            }
        }
    }

    @Test
    void sharedBRowStripsMatchNaiveLoopsAcrossSeveralBlocks() {
        SplittableRandom rnd = new SplittableRandom(13);
        // Several NC column blocks and KC depth blocks, with ragged row strips, forced onto the shared-B layout.
        int m = 2 * GemmBlocked.MR * 3 + 5;
        int n = GemmBlocked.NC + GemmBlocked.NR + 7;
        int k = GemmBlocked.KC + 33;
        for (int t = 0; t < 4; t++) {
            Problem p = new Problem((t & 1) != 0, (t & 2) != 0, m, n, k, -1.25f, t == 1 ? 0f : 0.5f, 2, 3, 1, 4, 0, 5);
            check(p, rnd, Path.SHARED_B_ROWS, Float.NaN);
        }
    }

    @Test
    void aPackedOnceServesManyProductsAndMatchesTheSerialGemmBitForBit() {
        SplittableRandom rnd = new SplittableRandom(17);
        // Several MC row blocks and KC depth blocks with ragged edges, in all four transpose cases.
        int m = GemmBlocked.MC + GemmBlocked.MR + 5;
        int k = 2 * GemmBlocked.KC + 9;
        for (int t = 0; t < 4; t++) {
            Problem p = new Problem((t & 1) != 0, (t & 2) != 0, m, GemmBlocked.NC + 3, k, 0.5f, t == 2 ? 0f : 1.5f,
                    1, 2, 3, 3, 2, 1);
            check(p, rnd, Path.PACKED_A, Float.NaN);
        }
        try (Arena arena = Arena.ofConfined()) {
            int n = 70;
            MemorySegment a = random(arena, (long) m * k, rnd);
            float[] packed = GemmBlocked.packWholeA(false, a, 0, k, m, k);
            for (int product = 0; product < 3; product++) {
                MemorySegment b = random(arena, (long) k * n, rnd);
                MemorySegment viaPacked = arena.allocate((long) m * n * Float.BYTES);
                MemorySegment viaSerial = arena.allocate((long) m * n * Float.BYTES);
                GemmBlocked.runPackedA(packed, m, k, false, n, 1f, b, 0, n, 0f, viaPacked, 0, n);
                CpuGemm.sgemmSerial(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, viaSerial, 0, n);
                assertEquals(-1L, viaPacked.mismatch(viaSerial), "product " + product + " differs from sgemmSerial");
            }
        }
    }

    @Test
    void pooledGemmSplitsWideProblemsByColumnsAndTallOnesByRows() {
        // The blocked-problem test above relies on these two shapes taking the two different strip layouts.
        assertTrue(CpuGemm.splitColumns(false, false, 30, GemmBlocked.NC + 18, 40, 2));
        assertFalse(CpuGemm.splitColumns(false, false, GemmBlocked.MC + 11, 40, 50, 2));
    }

    @Test
    void betaZeroIgnoresNaNInOutput() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] s : new int[][] {{3, 5, 2}, {33, 40, 17}, {100, 70, 64}}) {
            for (int t = 0; t < 4; t++) {
                Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, 0f, 1, 0, 3, 0, 1, 2);
                check(p, rnd, t % 2 == 0, Float.NaN);
            }
        }
    }

    @Test
    void zeroDepthOrZeroAlphaScalesOutputByBeta() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(4 * 8);
            MemorySegment b = arena.allocate(4 * 8);
            MemorySegment c = arena.allocate(4 * 6);
            for (int i = 0; i < 6; i++) c.setAtIndex(F, i, i + 1);
            CpuGemm.sgemmSerial(false, false, 2, 3, 0, 1f, a, 0, 1, b, 0, 3, 2f, c, 0, 3);
            for (int i = 0; i < 6; i++) assertEquals(2f * (i + 1), c.getAtIndex(F, i));
            c.setAtIndex(F, 4, Float.NaN);
            pooled.sgemm(false, false, 2, 3, 2, 0f, a, 0, 2, b, 0, 3, 0f, c, 0, 3);
            for (int i = 0; i < 6; i++) assertEquals(0f, c.getAtIndex(F, i));
        }
    }

    @Test
    void rejectsLeadingDimensionSmallerThanWidthAndMatricesOutsideTheirSegment() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(4 * 16);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CpuGemm.sgemmSerial(false, false, 2, 2, 3, 1f, s, 0, 2, s, 0, 2, 0f, s, 0, 2));
            assertEquals(true, e.getMessage().contains("lda=2"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class,
                    () -> pooled.sgemm(false, false, 4, 4, 4, 1f, s, 0, 4, s, 4, 4, 0f, s, 0, 4));
        }
    }

    private static void check(Problem p, SplittableRandom rnd, boolean usePool) {
        check(p, rnd, usePool ? Path.POOLED : Path.SERIAL, Float.NaN);
    }

    private static void check(Problem p, SplittableRandom rnd, boolean usePool, float cFill) {
        check(p, rnd, usePool ? Path.POOLED : Path.SERIAL, cFill);
    }

    /** Runs one problem and compares C with a double-accumulating reference, including the untouched padding. */
    private static void check(Problem p, SplittableRandom rnd, Path path, float cFill) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = random(arena, p.aFloats(), rnd);
            MemorySegment b = random(arena, p.bFloats(), rnd);
            MemorySegment c = random(arena, p.cFloats(), rnd);
            if (p.beta == 0f) {
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) c.setAtIndex(F, p.offC + (long) i * p.ldc() + j, cFill);
                }
            }
            float[] before = c.toArray(F);
            switch (path) {
                case POOLED -> pooled.sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, a, p.offA, p.lda(), b,
                        p.offB, p.ldb(), p.beta, c, p.offC, p.ldc());
                case SERIAL -> CpuGemm.sgemmSerial(p.transA, p.transB, p.m, p.n, p.k, p.alpha, a, p.offA, p.lda(),
                        b, p.offB, p.ldb(), p.beta, c, p.offC, p.ldc());
                case SHARED_B_ROWS -> GemmBlocked.runPooled(pool, p.transA, p.transB, p.m, p.n, p.k, p.alpha, a,
                        p.offA, p.lda(), b, p.offB, p.ldb(), p.beta, c, p.offC, p.ldc());
                case PACKED_A -> GemmBlocked.runPackedA(
                        GemmBlocked.packWholeA(p.transA, a, p.offA, p.lda(), p.m, p.k), p.m, p.k, p.transB, p.n,
                        p.alpha, b, p.offB, p.ldb(), p.beta, c, p.offC, p.ldc());
            }
            double tol = 1e-5 * (p.k + 4);
            for (long idx = 0; idx < before.length; idx++) {
                long rel = idx - p.offC;
                int i = (int) Math.floorDiv(rel, p.ldc());
                int j = (int) Math.floorMod(rel, p.ldc());
                float got = c.getAtIndex(F, idx);
                if (rel < 0 || i >= p.m || j >= p.n) {
                    assertEquals(before[(int) idx], got, "padding of C at " + idx + " was written: " + p);
                    continue;
                }
                double ref = 0;
                for (int q = 0; q < p.k; q++) {
                    double av = a.getAtIndex(F, p.offA + (p.transA ? (long) q * p.lda() + i : (long) i * p.lda() + q));
                    double bv = b.getAtIndex(F, p.offB + (p.transB ? (long) j * p.ldb() + q : (long) q * p.ldb() + j));
                    ref += av * bv;
                }
                ref *= p.alpha;
                if (p.beta != 0f) ref += p.beta * (double) before[(int) idx];
                if (!(Math.abs(got - ref) <= tol * (1 + Math.abs(ref)))) {
                    fail("C[" + i + "][" + j + "] = " + got + ", expected " + ref + " (" + path + ") for " + p);
                }
            }
        }
    }

    private static MemorySegment random(Arena arena, long floats, SplittableRandom rnd) {
        MemorySegment s = arena.allocate(Math.max(1, floats) * Float.BYTES, 64);
        for (long i = 0; i < floats; i++) s.setAtIndex(F, i, (float) rnd.nextDouble(-1, 1));
        return s;
    }
}
