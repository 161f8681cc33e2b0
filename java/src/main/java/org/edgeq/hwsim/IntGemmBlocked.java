package org.edgeq.hwsim;

import jdk.incubator.vector.IntVector;

/**
 * The Vector API int8 GEMM for one thread's block of C: the GotoBLAS loop nest of org.edgeq.backend.cpu.GemmBlocked
 * around {@link IntGemmMicroKernel}, with the int8 codes widened to int as they are packed. Computes
 * C[i][j] = sum_p A[i][p] * B[j][p] modulo 2^32 (exact where the true sum fits in an int) for the row-major
 * A [m, k], B [n, k] (B transposed, as the weights are stored) and C [m, n].
 */
final class IntGemmBlocked {
    static final int MR = IntGemmMicroKernel.MR;
    static final int NR = IntGemmMicroKernel.NR;
    private static final int V = IntGemmMicroKernel.V;
    /** Maximum depth of a packed block: an A micro-panel (MR x KC ints) stays in L1 while B panels stream past. */
    static final int KC = 384;
    /** Rows of A packed at once (a multiple of MR). */
    static final int MC = MR * 16;
    /** Maximum columns of B packed at once: KC x NC ints (768 KiB) stay in the per-core L2 cache. */
    static final int NC = NR * 16;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per-thread packing buffers, grown on demand and reused so steady-state GEMMs allocate nothing. */
    private static final class Workspace {
        int[] a = new int[0];
        int[] b = new int[0];
        final int[] tile = new int[MR * NR];

        int[] a(int size) {
            if (a.length < size) a = new int[size];
            return a;
        }

        int[] b(int size) {
            if (b.length < size) b = new int[size];
            return b;
        }
    }

    private IntGemmBlocked() {
    }

    /** C's rows [i0, i1) x columns [j0, j1); C has n columns, A and B have k. */
    static void run(byte[] a, byte[] b, int[] c, int n, int k, int i0, int i1, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        int cols = j1 - j0;
        int rows = i1 - i0;
        // Balanced blocks: k = 784 is 3 x ~261 deep, not 384 + 384 + 16 (see GemmBlocked).
        int ncStep = roundUp(ceilDiv(cols, ceilDiv(cols, NC)), NR);
        int kBlocks = ceilDiv(k, KC);
        for (int jc = 0; jc < cols; jc += ncStep) {
            int nc = Math.min(ncStep, cols - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = (int) ((long) k * kb / kBlocks);
                int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
                int[] bp = ws.b(roundUp(nc, NR) * kc);
                packB(b, k, j0 + jc, nc, pc, kc, bp);
                for (int ic = 0; ic < rows; ic += MC) {
                    int mc = Math.min(MC, rows - ic);
                    int[] ap = ws.a(roundUp(mc, MR) * kc);
                    packA(a, k, i0 + ic, mc, pc, kc, ap);
                    macroKernel(kc, mc, nc, ap, bp, c, (i0 + ic) * n + j0 + jc, n, kb > 0, ws.tile);
                }
            }
        }
    }

    private static void macroKernel(int kc, int mc, int nc, int[] ap, int[] bp, int[] c, int cOff, int ldc,
                                    boolean accumulate, int[] tile) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                IntGemmMicroKernel.tile(kc, ap, ir * kc, bp, jr * kc, tile);
                int cTile = cOff + ir * ldc + jr;
                if (cols == NR) {
                    for (int r = 0; r < rows; r++) {
                        int at = cTile + r * ldc;
                        for (int j = 0; j < NR; j += V) {
                            IntVector v = IntVector.fromArray(IntGemmMicroKernel.SPECIES, tile, r * NR + j);
                            if (accumulate) v = v.add(IntVector.fromArray(IntGemmMicroKernel.SPECIES, c, at + j));
                            v.intoArray(c, at + j);
                        }
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        int at = cTile + r * ldc;
                        for (int j = 0; j < cols; j++) c[at + j] = accumulate ? c[at + j] + tile[r * NR + j] : tile[r * NR + j];
                    }
                }
            }
        }
    }

    /** Packs A's rows [i0, i0+mc) x k steps [p0, p0+kc) as ceil(mc/MR) panels of MR ints per k step, zero-padded. */
    private static void packA(byte[] a, int k, int i0, int mc, int p0, int kc, int[] dst) {
        for (int ib = 0, d = 0; ib < mc; ib += MR, d += MR * kc) {
            int rows = Math.min(MR, mc - ib);
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = (i0 + ib + r) * k + p0;
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = a[src + p];
                } else {
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = 0;
                }
            }
        }
    }

    /** Packs B's rows (C's columns) [j0, j0+nc) x k steps [p0, p0+kc) as ceil(nc/NR) panels of NR ints per k step. */
    private static void packB(byte[] b, int k, int j0, int nc, int p0, int kc, int[] dst) {
        for (int jb = 0, d = 0; jb < nc; jb += NR, d += NR * kc) {
            int cols = Math.min(NR, nc - jb);
            for (int j = 0; j < NR; j++) {
                if (j < cols) {
                    int src = (j0 + jb + j) * k + p0;
                    for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = b[src + p];
                } else {
                    for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = 0;
                }
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
