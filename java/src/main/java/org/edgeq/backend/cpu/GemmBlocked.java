package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GotoBLAS loop nest around {@link GemmMicroKernel} for one thread's share of a GEMM: B is packed per KC x NC
 * block, A per MC x KC block, and the micro-kernel sweeps the packed panels while they sit in cache.
 */
final class GemmBlocked {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final int MR = GemmMicroKernel.MR;
    static final int NR = GemmMicroKernel.NR;
    private static final int V = GemmMicroKernel.V;
    private static final VectorSpecies<Float> SPECIES = GemmMicroKernel.SPECIES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /**
     * Maximum depth of a packed block: an A micro-panel (MR x KC, 48 KiB) fills L1 while B panels stream past it.
     * KC, MC and NC were chosen by measurement (issue 12). Against 384 x 192 x 512 the 2048³ product ran 63 ms, with
     * 512 x 192 x 2048 50 ms; KC = 1024 then halved the passes over C and gained another 2-8% at 1024³-2048³ in
     * paired runs against OpenBLAS (bench/gemm-paired.sh), level on MLP-sized products.
     */
    static final int KC = 1024;
    /** Rows of A packed at once (a multiple of MR); MC x KC floats (768 KiB) stay in L2. */
    static final int MC = MR * 16;
    /**
     * Maximum columns of B packed at once. KC x NC floats (8 MiB) exceed L2; the B block then comes from L3, and
     * re-packing A for fewer, wider blocks still paid at 1024-4096.
     */
    static final int NC = NR * 64;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per-thread packing buffers, grown on demand and then reused so steady-state GEMMs allocate nothing. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        /** A whole packed A that the workers share across many products (owned by the thread that packed it). */
        float[] wholeA = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        float[] wholeA(int size) {
            if (wholeA.length < size) wholeA = new float[size];
            return wholeA;
        }
    }

    private GemmBlocked() {
    }

    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                    float beta, MemorySegment c, long cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        // Blocks are balanced rather than cut at the maximum size, so that k = 1040 becomes 3 x ~347 deep blocks
        // instead of 512 + 512 + 16 (a thin last block pays the full per-tile overhead for little work).
        int ncStep = columnStep(n);
        int kBlocks = ceilDiv(k, KC);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = depthStart(k, kBlocks, kb);
                int kc = depthStart(k, kBlocks, kb + 1) - pc;
                float betaBlock = kb == 0 ? beta : 1f;
                float[] bp = ws.b(roundUp(nc, NR) * kc);
                GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    float[] ap = ws.a(roundUp(mc, MR) * kc + GemmPacking.A_SLACK);
                    GemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    macroKernel(kc, mc, nc, ap, bp, alpha, betaBlock, c, cOff + (long) ic * ldc + jc, ldc, ws);
                }
            }
        }
    }

    /**
     * The same loop nest spread over a pool by strips of MR-row tiles: each thread packs its own copy of every B
     * block and its own rows of A. Sharing one packed B among the threads (each packing part of it) was 15-20%
     * slower on MLP-sized products and no faster on square ones (issue 12): the threads then read each other's
     * freshly written cache lines and wait at an extra barrier per block.
     */
    static void runPooled(WorkerPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                          MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                          float beta, MemorySegment c, long cOff, int ldc) {
        int rowTiles = ceilDiv(m, MR);
        pool.parallelFor(rowTiles, 1, (from, to) -> {
            int i0 = from * MR;
            int rows = Math.min(m, to * MR) - i0;
            long aStrip = aOff + (transA ? i0 : (long) i0 * lda);
            run(transA, transB, rows, n, k, alpha, a, aStrip, lda, b, bOff, ldb, beta, c, cOff + (long) i0 * ldc, ldc);
        });
    }

    /**
     * op(A) [m, k] packed whole, once, for many products with different B (a convolution's weights against every
     * sample): depth block after depth block (the blocks {@link #run} cuts), each holding every MR-row panel of its
     * rows. The buffer belongs to the calling thread and stays valid until it packs another whole A; the workers of
     * a pool may read it meanwhile.
     */
    static float[] packWholeA(boolean transA, MemorySegment a, long aOff, int lda, int m, int k) {
        float[] dst = WORKSPACE.get().wholeA(packedWholeASize(m, k));
        packWholeA(transA, a, aOff, lda, m, k, dst, 0);
        return dst;
    }

    /** Floats that {@link #packWholeA} writes for an op(A) of m x k. */
    static int packedWholeASize(int m, int k) {
        return roundUp(m, MR) * k + GemmPacking.A_SLACK;
    }

    /** {@link #packWholeA(boolean, MemorySegment, long, int, int, int)} into a caller's buffer from {@code dstOff} on. */
    static void packWholeA(boolean transA, MemorySegment a, long aOff, int lda, int m, int k, float[] dst, int dstOff) {
        int rows = roundUp(m, MR);
        int kBlocks = ceilDiv(k, KC);
        for (int kb = 0; kb < kBlocks; kb++) {
            int pc = depthStart(k, kBlocks, kb);
            int kc = depthStart(k, kBlocks, kb + 1) - pc;
            GemmPacking.packA(transA, a, aOff, lda, 0, m, pc, kc, dst, dstOff + rows * pc);
        }
    }

    /**
     * C = alpha * op(A) * op(B) + beta * C on the calling thread with op(A) from {@link #packWholeA}; the same
     * arithmetic as {@link #run}, so the result is bit-identical to {@code CpuGemm.sgemmSerial} above its
     * small-product cut-off.
     */
    static void runPackedA(float[] packedA, int m, int k, boolean transB, int n, float alpha,
                           MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        runPackedA(packedA, 0, m, k, transB, n, alpha, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #runPackedA(float[], int, int, boolean, int, float, MemorySegment, long, int, float, MemorySegment, long, int)} with op(A) packed from {@code aBase} on. */
    static void runPackedA(float[] packedA, int aBase, int m, int k, boolean transB, int n, float alpha,
                           MemorySegment b, long bOff, int ldb, float beta, MemorySegment c, long cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int rows = roundUp(m, MR);
        int ncStep = columnStep(n);
        int kBlocks = ceilDiv(k, KC);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = depthStart(k, kBlocks, kb);
                int kc = depthStart(k, kBlocks, kb + 1) - pc;
                float betaBlock = kb == 0 ? beta : 1f;
                float[] bp = ws.b(roundUp(nc, NR) * kc);
                GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    macroKernel(kc, mc, nc, packedA, aBase + rows * pc + ic * kc, bp, alpha, betaBlock,
                            c, cOff + (long) ic * ldc + jc, ldc, ws);
                }
            }
        }
    }

    /**
     * Width of the column blocks of B: balanced rather than cut at NC, so that a thin last block does not pay the
     * full per-tile overhead for little work; a multiple of NR.
     */
    private static int columnStep(int n) {
        return roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
    }

    /** First k index of depth block {@code kb} of {@code kBlocks} balanced blocks. */
    private static int depthStart(int k, int kBlocks, int kb) {
        return (int) ((long) k * kb / kBlocks);
    }

    private static void macroKernel(int kc, int mc, int nc, float[] ap, float[] bp, float alpha, float beta,
                                    MemorySegment c, long cOff, int ldc, Workspace ws) {
        macroKernel(kc, mc, nc, ap, 0, bp, alpha, beta, c, cOff, ldc, ws);
    }

    private static void macroKernel(int kc, int mc, int nc, float[] ap, int apOff, float[] bp, float alpha, float beta,
                                    MemorySegment c, long cOff, int ldc, Workspace ws) {
        long ldcBytes = (long) ldc * Float.BYTES;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int ai = apOff + ir * kc;
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                int bi = jr * kc;
                long cTile = cOff + (long) ir * ldc + jr;
                GemmMicroKernel.tile(kc, ap, ai, bp, bi, ws.tile);
                if (rows == MR && cols == NR) {
                    storeFull(ws.tile, alpha, beta, c, cTile * Float.BYTES, ldcBytes);
                } else {
                    storeEdge(ws.tile, rows, cols, alpha, beta, c, cTile, ldc);
                }
            }
        }
    }

    /** C = alpha * tile + beta * C for a whole MR x NR tile; {@code beta == 0} never reads C. */
    private static void storeFull(float[] tile, float alpha, float beta, MemorySegment c, long cByte, long ldcBytes) {
        for (int r = 0; r < MR; r++, cByte += ldcBytes) {
            for (int j = 0; j < NR; j += V) {
                long at = cByte + (long) j * Float.BYTES;
                FloatVector v = FloatVector.fromArray(SPECIES, tile, r * NR + j).mul(alpha);
                if (beta != 0f) v = v.add(FloatVector.fromMemorySegment(SPECIES, c, at, NATIVE).mul(beta));
                v.intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    /** Writes the valid rows x cols corner of a full tile computed into a scratch buffer. */
    private static void storeEdge(float[] tile, int rows, int cols, float alpha, float beta,
                                  MemorySegment c, long cTile, int ldc) {
        for (int r = 0; r < rows; r++) {
            long row = cTile + (long) r * ldc;
            for (int j = 0; j < cols; j++) {
                float v = alpha * tile[r * NR + j];
                c.setAtIndex(F, row + j, beta == 0f ? v : v + beta * c.getAtIndex(F, row + j));
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
