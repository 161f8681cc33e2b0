package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 2-D convolution by im2col + GEMM, parallel over the samples of the batch with one im2col buffer per worker slot
 * carved out of the caller's workspace (a 1x1 stride-1 convolution skips im2col). The input gradient multiplies an
 * untransposed copy of W^T by each sample's output gradient and folds the columns back with col2im.
 *
 * <p>The weight gradient is a sum over the batch. It is computed in blocks of samples whose im2col matrices are laid
 * side by side ([patch, block * positions]) next to the matching output gradients ([outChannels, block * positions]),
 * so one GEMM with a long inner dimension covers a whole block (or, for patches of at most {@value #SKINNY_PATCH},
 * plain dot products, where GEMM packing would cost more than the arithmetic). The work runs on a fixed grid of
 * weight tiles or rows and blocks follow batch order, so the result is bit-identical for any thread count.
 */
final class CpuConvolution {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Output-channel and patch-column tile of the weight gradient; fixed to keep the reduction order fixed. */
    private static final int DW_TILE_ROWS = 64;
    private static final int DW_TILE_COLS = 64;
    /** Upper bound on the floats of the per-block im2col buffer used by the weight gradient. */
    private static final long DW_BLOCK_FLOATS = 1L << 22;
    /** Patch sizes up to this use dot products instead of GEMM for the weight gradient. */
    private static final int SKINNY_PATCH = 32;

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
        long positions = (long) g.outHeight() * g.outWidth();
        long perSlot = g.patchSize() * positions;
        long weightGradient = (long) dwBlock(g) * (g.patchSize() + g.outChannels()) * positions;
        long inputGradient = perSlot * slots(g.batch()) + (long) g.outChannels() * g.patchSize();
        return Math.max(inputGradient, weightGradient);
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
                    long yOff = (long) s * o * p;
                    if (isPointwise(g)) {
                        // A 1x1 stride-1 unpadded convolution is a plain GEMM on the sample itself.
                        CpuGemm.sgemmSerial(false, false, o, p, k, 1f, w, 0, k, x, s * xSample, p, 0f, y, yOff, p);
                    } else {
                        im2col(x, s * xSample, g, ws, colOff, p);
                        CpuGemm.sgemmSerial(false, false, o, p, k, 1f, w, 0, k, ws, colOff, p, 0f, y, yOff, p);
                    }
                    if (bias != null) {
                        for (int oc = 0; oc < o; oc++) {
                            CpuElementwise.addScalarInPlace(y, yOff + (long) oc * p, bias.getAtIndex(F, oc), p);
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
                    for (int s = 0; s < n; s++) acc += CpuElementwise.sumDouble(dy, ((long) s * o + oc) * p, p);
                    dBias.setAtIndex(F, oc, (float) acc);
                }
            });
        }
        if (dx != null) {
            int slots = slots(n);
            // The GEMM runs fastest untransposed, so W^T [patch, outChannels] is laid out once after the slots.
            long wtOff = slots * colFloats;
            for (int oc = 0; oc < o; oc++) {
                for (int j = 0; j < k; j++) ws.setAtIndex(F, wtOff + (long) j * o + oc, w.getAtIndex(F, (long) oc * k + j));
            }
            pool.parallelFor(slots, 1, (s0, s1) -> {
                for (int slot = s0; slot < s1; slot++) {
                    long colOff = slot * colFloats;
                    for (int s = slot; s < n; s += slots) {
                        if (isPointwise(g)) {
                            CpuGemm.sgemmSerial(false, false, k, p, o, 1f, ws, wtOff, o, dy, (long) s * o * p, p, 0f, dx, s * xSample, p);
                        } else {
                            CpuGemm.sgemmSerial(false, false, k, p, o, 1f, ws, wtOff, o, dy, (long) s * o * p, p, 0f, ws, colOff, p);
                            col2im(ws, colOff, g, dx, s * xSample);
                        }
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
            int width = count * p;
            long dyOff = (long) k * width;
            pool.parallelFor(count, 1, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    int s = first + i;
                    im2col(x, s * xSample, g, ws, (long) i * p, width);
                    for (int oc = 0; oc < o; oc++) {
                        MemorySegment.copy(dy, 4 * (((long) s * o + oc) * p), ws, 4 * (dyOff + (long) oc * width + (long) i * p), 4L * p);
                    }
                }
            });
            if (k <= SKINNY_PATCH) {
                // Few patch rows (first layers): GEMM packing would dominate, so take row-by-row dot products.
                pool.parallelFor(o, 4, (o0, o1) -> dotRows(ws, dyOff, o0, o1, ws, 0, k, width, first > 0, dw));
                continue;
            }
            pool.parallelFor(rowTiles * colTiles, 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int r0 = (t / colTiles) * DW_TILE_ROWS, c0 = (t % colTiles) * DW_TILE_COLS;
                    int rows = Math.min(DW_TILE_ROWS, o - r0), cols = Math.min(DW_TILE_COLS, k - c0);
                    CpuGemm.sgemmSerial(false, true, rows, cols, width, 1f,
                            ws, dyOff + (long) r0 * width, width,
                            ws, (long) c0 * width, width,
                            first == 0 ? 0f : 1f, dw, (long) r0 * k + c0, k);
                }
            });
        }
    }

    /**
     * c[i * cols + j] (+)= sum over q < len of a[aOff + i * len + q] * b[bOff + j * len + q] for rows i in [i0, i1)
     * and all j; four rows of b share each load of a row of a.
     */
    static void dotRows(MemorySegment a, long aOff, int i0, int i1, MemorySegment b, long bOff, int cols, int len,
                        boolean accumulate, MemorySegment c) {
        var fs = CpuElementwise.FS;
        var order = CpuElementwise.NATIVE;
        int bound = fs.loopBound(len);
        for (int i = i0; i < i1; i++) {
            long ai = aOff + (long) i * len;
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                long b0 = bOff + (long) j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
                FloatVector s0 = FloatVector.zero(fs), s1 = s0, s2 = s0, s3 = s0;
                for (int q = 0; q < bound; q += fs.length()) {
                    FloatVector av = FloatVector.fromMemorySegment(fs, a, 4 * (ai + q), order);
                    s0 = av.fma(FloatVector.fromMemorySegment(fs, b, 4 * (b0 + q), order), s0);
                    s1 = av.fma(FloatVector.fromMemorySegment(fs, b, 4 * (b1 + q), order), s1);
                    s2 = av.fma(FloatVector.fromMemorySegment(fs, b, 4 * (b2 + q), order), s2);
                    s3 = av.fma(FloatVector.fromMemorySegment(fs, b, 4 * (b3 + q), order), s3);
                }
                float d0 = Lanes.sum(s0), d1 = Lanes.sum(s1);
                float d2 = Lanes.sum(s2), d3 = Lanes.sum(s3);
                for (int q = bound; q < len; q++) {
                    float av = a.getAtIndex(F, ai + q);
                    d0 += av * b.getAtIndex(F, b0 + q);
                    d1 += av * b.getAtIndex(F, b1 + q);
                    d2 += av * b.getAtIndex(F, b2 + q);
                    d3 += av * b.getAtIndex(F, b3 + q);
                }
                store(c, (long) i * cols + j, d0, accumulate);
                store(c, (long) i * cols + j + 1, d1, accumulate);
                store(c, (long) i * cols + j + 2, d2, accumulate);
                store(c, (long) i * cols + j + 3, d3, accumulate);
            }
            for (; j < cols; j++) {
                long bj = bOff + (long) j * len;
                FloatVector sum = FloatVector.zero(fs);
                for (int q = 0; q < bound; q += fs.length()) {
                    sum = FloatVector.fromMemorySegment(fs, a, 4 * (ai + q), order)
                            .fma(FloatVector.fromMemorySegment(fs, b, 4 * (bj + q), order), sum);
                }
                float d = Lanes.sum(sum);
                for (int q = bound; q < len; q++) d += a.getAtIndex(F, ai + q) * b.getAtIndex(F, bj + q);
                store(c, (long) i * cols + j, d, accumulate);
            }
        }
    }

    private static void store(MemorySegment c, long idx, float value, boolean accumulate) {
        c.setAtIndex(F, idx, accumulate ? c.getAtIndex(F, idx) + value : value);
    }

    static boolean isPointwise(ConvGeometry g) {
        return g.kernel() == 1 && g.stride() == 1 && g.padding() == 0;
    }

    /**
     * col[colOff + ((c * K + ki) * K + kj) * ld + oh * OW + ow] = x[c, oh * stride - pad + ki, ow * stride - pad + kj]
     * (0 outside the input); {@code ld} lets several samples share the rows of one matrix.
     */
    static void im2col(MemorySegment x, long xOff, ConvGeometry g, MemorySegment col, long colOff, long ld) {
        if (isSameSize(g)) {
            im2colSameSize(x, xOff, g, col, colOff, ld);
            return;
        }
        int c = g.inChannels(), h = g.height(), wd = g.width(), kk = g.kernel(), st = g.stride(), pad = g.padding();
        int oh = g.outHeight(), ow = g.outWidth();
        long row = colOff;
        for (int ch = 0; ch < c; ch++) {
            long plane = xOff + (long) ch * h * wd;
            for (int ki = 0; ki < kk; ki++) {
                for (int kj = 0; kj < kk; kj++) {
                    // Output columns whose input column lies inside the image: [lo, hi).
                    int lo = Math.min(ow, Math.max(0, ceilDiv(pad - kj, st)));
                    int hi = Math.max(lo, Math.min(ow, ceilDiv(wd + pad - kj, st)));
                    long idx = row;
                    for (int y = 0; y < oh; y++, idx += ow) {
                        int iy = y * st - pad + ki;
                        if (iy < 0 || iy >= h) {
                            CpuElementwise.zeroFloats(col, idx, ow);
                            continue;
                        }
                        long src = plane + (long) iy * wd + (long) lo * st - pad + kj;
                        if (lo > 0) CpuElementwise.zeroFloats(col, idx, lo);
                        if (st == 1) {
                            CpuElementwise.copyFloats(x, src, col, idx + lo, hi - lo);
                        } else {
                            for (int xo = lo; xo < hi; xo++, src += st) col.setAtIndex(F, idx + xo, x.getAtIndex(F, src));
                        }
                        if (hi < ow) CpuElementwise.zeroFloats(col, idx + hi, ow - hi);
                    }
                    row += ld;
                }
            }
        }
    }

    /** Stride 1 with "same" padding (kernel = 2 * padding + 1): output and input planes have the same shape. */
    static boolean isSameSize(ConvGeometry g) {
        return g.stride() == 1 && g.outHeight() == g.height() && g.outWidth() == g.width();
    }

    /**
     * The rows of one (channel, ki, kj) im2col row that read inside the image, for a same-size convolution:
     * {y0, y1, lo, hi} = output rows [y0, y1) and columns [lo, hi).
     */
    private static void validWindow(int h, int w, int dy, int dx, int[] out) {
        out[0] = Math.max(0, -dy);
        out[1] = Math.min(h, h - dy);
        out[2] = Math.max(0, -dx);
        out[3] = Math.min(w, w - dx);
    }

    /**
     * im2col for a same-size convolution. Each im2col row is the input plane shifted by (ki - pad) * W + kj - pad,
     * so it is one long contiguous copy; the few columns that wrapped around a row edge are then zeroed.
     */
    private static void im2colSameSize(MemorySegment x, long xOff, ConvGeometry g, MemorySegment col, long colOff, long ld) {
        int c = g.inChannels(), h = g.height(), w = g.width(), kk = g.kernel(), pad = g.padding();
        int plane = h * w;
        int[] win = new int[4];
        long row = colOff;
        for (int ch = 0; ch < c; ch++) {
            long src = xOff + (long) ch * plane;
            for (int ki = 0; ki < kk; ki++) {
                for (int kj = 0; kj < kk; kj++, row += ld) {
                    int dy = ki - pad, dx = kj - pad;
                    validWindow(h, w, dy, dx, win);
                    int y0 = win[0], y1 = win[1], lo = win[2], hi = win[3];
                    if (y0 >= y1 || lo >= hi) {
                        CpuElementwise.zeroFloats(col, row, plane);
                        continue;
                    }
                    int start = y0 * w + lo, end = (y1 - 1) * w + hi;
                    CpuElementwise.zeroFloats(col, row, start);
                    CpuElementwise.copyFloats(x, src + start + (long) dy * w + dx, col, row + start, end - start);
                    CpuElementwise.zeroFloats(col, row + end, plane - end);
                    for (int y = y0; y < y1; y++) {
                        long r = row + (long) y * w;
                        for (int xo = 0; xo < lo; xo++) col.setAtIndex(F, r + xo, 0f);
                        for (int xo = hi; xo < w; xo++) col.setAtIndex(F, r + xo, 0f);
                    }
                }
            }
        }
    }

    /**
     * col2im for a same-size convolution: the wrapped columns of each col row (scratch) are zeroed, then the row is
     * added to the shifted input plane in one contiguous pass; the zeros land inside the same plane and change
     * nothing. Contributions reach each element in the same (channel, ki, kj) order as the general loop.
     */
    private static void col2imSameSize(MemorySegment col, long colOff, ConvGeometry g, MemorySegment dxs, long dxOff) {
        int c = g.inChannels(), h = g.height(), w = g.width(), kk = g.kernel(), pad = g.padding();
        int plane = h * w;
        dxs.asSlice(4 * dxOff, 4L * c * plane).fill((byte) 0);
        int[] win = new int[4];
        long row = colOff;
        for (int ch = 0; ch < c; ch++) {
            long dst = dxOff + (long) ch * plane;
            for (int ki = 0; ki < kk; ki++) {
                for (int kj = 0; kj < kk; kj++, row += plane) {
                    int dy = ki - pad, dx = kj - pad;
                    validWindow(h, w, dy, dx, win);
                    int y0 = win[0], y1 = win[1], lo = win[2], hi = win[3];
                    if (y0 >= y1 || lo >= hi) continue;
                    for (int y = y0; y < y1; y++) {
                        long r = row + (long) y * w;
                        for (int xo = 0; xo < lo; xo++) col.setAtIndex(F, r + xo, 0f);
                        for (int xo = hi; xo < w; xo++) col.setAtIndex(F, r + xo, 0f);
                    }
                    int start = y0 * w + lo, end = (y1 - 1) * w + hi;
                    CpuElementwise.addInPlace(dxs, dst + start + (long) dy * w + dx, col, row + start, end - start);
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** dx[c, iy, ix] = sum of the col entries im2col copied from that input position (dx sample zeroed first). */
    static void col2im(MemorySegment col, long colOff, ConvGeometry g, MemorySegment dx, long dxOff) {
        if (isSameSize(g)) {
            col2imSameSize(col, colOff, g, dx, dxOff);
            return;
        }
        int c = g.inChannels(), h = g.height(), wd = g.width(), kk = g.kernel(), st = g.stride(), pad = g.padding();
        int oh = g.outHeight(), ow = g.outWidth();
        dx.asSlice(4 * dxOff, 4L * c * h * wd).fill((byte) 0);
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
                        int lo = Math.min(ow, Math.max(0, ceilDiv(pad - kj, st)));
                        int hi = Math.max(lo, Math.min(ow, ceilDiv(wd + pad - kj, st)));
                        long dst = plane + (long) iy * wd + (long) lo * st - pad + kj;
                        if (st == 1) {
                            CpuElementwise.addShort(dx, dst, col, idx + lo, hi - lo);
                        } else {
                            for (int xo = lo; xo < hi; xo++, dst += st) dx.setAtIndex(F, dst, dx.getAtIndex(F, dst) + col.getAtIndex(F, idx + xo));
                        }
                        idx += ow;
                    }
                    row += (long) oh * ow;
                }
            }
        }
    }
}
