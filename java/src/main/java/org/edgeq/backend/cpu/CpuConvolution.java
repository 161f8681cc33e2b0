package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 2-D convolution by im2col + GEMM, parallel over the samples of the batch with one im2col buffer per worker slot
 * carved out of the caller's workspace. The weight gradient is a sum over the batch; it is computed tile by tile
 * of the weight matrix, each tile summing the samples in batch order, so it is bit-identical for any thread count.
 */
final class CpuConvolution {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Output-channel and patch-column tile of the weight gradient; fixed to keep the reduction order fixed. */
    private static final int DW_TILE_ROWS = 16;
    private static final int DW_TILE_COLS = 64;
    /** Upper bound on the floats of the per-block im2col buffer used by the weight gradient. */
    private static final long DW_BLOCK_FLOATS = 1L << 22;

    private final WorkerPool pool;

    CpuConvolution(WorkerPool pool) {
        this.pool = pool;
    }

    private int slots(int batch) {
        return Math.max(1, Math.min(pool.threads(), batch));
    }

    /** Samples whose im2col matrices the weight gradient holds at once; depends on the geometry only. */
    static int dwBlock(ConvGeometry g) {
        long colFloats = (long) g.patchSize() * g.outHeight() * g.outWidth();
        return (int) Math.max(1, Math.min(Math.max(1, g.batch()), Math.min(16, DW_BLOCK_FLOATS / colFloats)));
    }

    long workspaceFloats(ConvGeometry g) {
        long colFloats = (long) g.patchSize() * g.outHeight() * g.outWidth();
        return colFloats * Math.max(pool.threads(), dwBlock(g));
    }

    void forward(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, ConvGeometry g, MemorySegment ws) {
        int n = g.batch(), o = g.outChannels(), k = g.patchSize();
        int p = g.outHeight() * g.outWidth();
        long colFloats = (long) k * p;
        long xSample = (long) g.inChannels() * g.height() * g.width();
        int slots = slots(n);
        pool.parallelFor(slots, 1, (s0, s1) -> {
            for (int slot = s0; slot < s1; slot++) {
                long colOff = slot * colFloats;
                for (int s = slot; s < n; s += slots) {
                    im2col(x, s * xSample, g, ws, colOff);
                    long yOff = (long) s * o * p;
                    CpuGemm.sgemmSerial(false, false, o, p, k, 1f, w, 0, k, ws, colOff, p, 0f, y, yOff, p);
                    if (bias != null) {
                        for (int oc = 0; oc < o; oc++) {
                            float b = bias.getAtIndex(F, oc);
                            long base = yOff + (long) oc * p;
                            for (int i = 0; i < p; i++) y.setAtIndex(F, base + i, y.getAtIndex(F, base + i) + b);
                        }
                    }
                }
            }
        });
    }

    void backward(MemorySegment x, MemorySegment w, MemorySegment dy, MemorySegment dx, MemorySegment dw,
                  MemorySegment dBias, ConvGeometry g, MemorySegment ws) {
        int n = g.batch(), o = g.outChannels(), k = g.patchSize();
        int p = g.outHeight() * g.outWidth();
        long colFloats = (long) k * p;
        long xSample = (long) g.inChannels() * g.height() * g.width();
        if (dBias != null) {
            pool.parallelFor(o, 4, (o0, o1) -> {
                for (int oc = o0; oc < o1; oc++) {
                    double acc = 0;
                    for (int s = 0; s < n; s++) {
                        long base = ((long) s * o + oc) * p;
                        for (int i = 0; i < p; i++) acc += dy.getAtIndex(F, base + i);
                    }
                    dBias.setAtIndex(F, oc, (float) acc);
                }
            });
        }
        if (dx != null) {
            int slots = slots(n);
            pool.parallelFor(slots, 1, (s0, s1) -> {
                for (int slot = s0; slot < s1; slot++) {
                    long colOff = slot * colFloats;
                    for (int s = slot; s < n; s += slots) {
                        CpuGemm.sgemmSerial(true, false, k, p, o, 1f, w, 0, k, dy, (long) s * o * p, p, 0f, ws, colOff, p);
                        col2im(ws, colOff, g, dx, s * xSample);
                    }
                }
            });
        }
        weightGradient(x, dy, dw, g, ws);
    }

    private void weightGradient(MemorySegment x, MemorySegment dy, MemorySegment dw, ConvGeometry g, MemorySegment ws) {
        int n = g.batch(), o = g.outChannels(), k = g.patchSize();
        int p = g.outHeight() * g.outWidth();
        long colFloats = (long) k * p;
        long xSample = (long) g.inChannels() * g.height() * g.width();
        if (n == 0) {
            for (long i = 0; i < (long) o * k; i++) dw.setAtIndex(F, i, 0f);
            return;
        }
        int block = dwBlock(g);
        int rowTiles = (o + DW_TILE_ROWS - 1) / DW_TILE_ROWS;
        int colTiles = (k + DW_TILE_COLS - 1) / DW_TILE_COLS;
        for (int b0 = 0; b0 < n; b0 += block) {
            int first = b0;
            int count = Math.min(block, n - b0);
            pool.parallelFor(count, 1, (i0, i1) -> {
                for (int i = i0; i < i1; i++) im2col(x, (first + i) * xSample, g, ws, i * colFloats);
            });
            pool.parallelFor(rowTiles * colTiles, 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int r0 = (t / colTiles) * DW_TILE_ROWS, c0 = (t % colTiles) * DW_TILE_COLS;
                    int rows = Math.min(DW_TILE_ROWS, o - r0), cols = Math.min(DW_TILE_COLS, k - c0);
                    for (int i = 0; i < count; i++) {
                        int s = first + i;
                        CpuGemm.sgemmSerial(false, true, rows, cols, p, 1f,
                                dy, ((long) s * o + r0) * p, p,
                                ws, i * colFloats + (long) c0 * p, p,
                                s == 0 ? 0f : 1f, dw, (long) r0 * k + c0, k);
                    }
                }
            });
        }
    }

    /** col[(c * K + ki) * K + kj][oh * OW + ow] = x[c, oh * stride - pad + ki, ow * stride - pad + kj] or 0. */
    static void im2col(MemorySegment x, long xOff, ConvGeometry g, MemorySegment col, long colOff) {
        int c = g.inChannels(), h = g.height(), wd = g.width(), kk = g.kernel(), st = g.stride(), pad = g.padding();
        int oh = g.outHeight(), ow = g.outWidth();
        long row = colOff;
        for (int ch = 0; ch < c; ch++) {
            long plane = xOff + (long) ch * h * wd;
            for (int ki = 0; ki < kk; ki++) {
                for (int kj = 0; kj < kk; kj++) {
                    long idx = row;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * st - pad + ki;
                        if (iy < 0 || iy >= h) {
                            for (int xo = 0; xo < ow; xo++) col.setAtIndex(F, idx++, 0f);
                            continue;
                        }
                        long src = plane + (long) iy * wd;
                        for (int xo = 0; xo < ow; xo++) {
                            int ix = xo * st - pad + kj;
                            col.setAtIndex(F, idx++, ix >= 0 && ix < wd ? x.getAtIndex(F, src + ix) : 0f);
                        }
                    }
                    row += (long) oh * ow;
                }
            }
        }
    }

    /** dx[c, iy, ix] = sum of the col entries im2col copied from that input position (dx sample zeroed first). */
    static void col2im(MemorySegment col, long colOff, ConvGeometry g, MemorySegment dx, long dxOff) {
        int c = g.inChannels(), h = g.height(), wd = g.width(), kk = g.kernel(), st = g.stride(), pad = g.padding();
        int oh = g.outHeight(), ow = g.outWidth();
        for (long i = 0; i < (long) c * h * wd; i++) dx.setAtIndex(F, dxOff + i, 0f);
        long row = colOff;
        for (int ch = 0; ch < c; ch++) {
            long plane = dxOff + (long) ch * h * wd;
            for (int ki = 0; ki < kk; ki++) {
                for (int kj = 0; kj < kk; kj++) {
                    long idx = row;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * st - pad + ki;
                        if (iy < 0 || iy >= h) {
                            idx += ow;
                            continue;
                        }
                        long dst = plane + (long) iy * wd;
                        for (int xo = 0; xo < ow; xo++, idx++) {
                            int ix = xo * st - pad + kj;
                            if (ix >= 0 && ix < wd) dx.setAtIndex(F, dst + ix, dx.getAtIndex(F, dst + ix) + col.getAtIndex(F, idx));
                        }
                    }
                    row += (long) oh * ow;
                }
            }
        }
    }
}
