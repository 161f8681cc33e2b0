package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 2-D convolution. 3x3 "same" convolutions with 16 or more channels on each side go to {@link WinogradConvolution}
 * (forward, input and weight gradients); everything else runs here.
 *
 * <p>Here: im2col + GEMM, parallel over the samples of the batch with one im2col buffer per worker slot
 * carved out of the caller's workspace (a 1x1 stride-1 convolution skips im2col). The weights (forward) and their
 * transpose (input gradient) are packed into GEMM panels once per call and shared by every sample's product; the
 * input gradient folds each sample's columns back with col2im.
 *
 * <p>The weight gradient is a sum over the batch. It is computed in blocks of samples whose im2col matrices are laid
 * side by side ([patch, block * positions]) next to the matching output gradients ([outChannels, block * positions]),
 * so one pooled GEMM with a long inner dimension covers a whole block; it produces dW^T, whose many patch rows split
 * evenly among the threads (layers of at most {@value #SKINNY_PATCH} patch rows take dot products instead, where
 * packing would cost more than the arithmetic). Blocks follow batch order and each element's sum runs in an order
 * fixed by the geometry, so the result is bit-identical for any thread count.
 */
final class CpuConvolution {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Upper bound on the floats of the per-block im2col buffer used by the weight gradient. */
    private static final long DW_BLOCK_FLOATS = 1L << 22;
    /** Patch sizes up to this use dot products instead of GEMM for the weight gradient. */
    private static final int SKINNY_PATCH = 32;

    /** The calling thread's staged im2col and output-gradient rows for the few-patch-row weight gradient. */
    private static final ThreadLocal<float[]> SKINNY_STAGE = ThreadLocal.withInitial(() -> new float[0]);

    private final WorkerPool pool;
    private final WinogradConvolution winograd;

    CpuConvolution(WorkerPool pool) {
        this.pool = pool;
        this.winograd = new WinogradConvolution(pool);
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
        if (WinogradConvolution.applies(g)) return 0; // it works in per-thread heap buffers
        long positions = (long) g.outHeight() * g.outWidth();
        long perSlot = g.patchSize() * positions;
        // The few-patch-row weight gradient stages its operands on the heap instead.
        long weightGradient = g.patchSize() <= SKINNY_PATCH ? 0
                : (long) dwBlock(g) * (g.patchSize() + g.outChannels()) * positions + (long) g.patchSize() * g.outChannels();
        return Math.max(perSlot * slots(g.batch()), weightGradient);
    }

    void forward(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, ConvGeometry g, MemorySegment ws) {
        if (WinogradConvolution.applies(g)) {
            winograd.forward(x, w, bias, y, g);
            return;
        }
        int n = g.batch(), o = g.outChannels(), k = g.patchSize();
        int p = g.outHeight() * g.outWidth();
        long colFloats = (long) k * p;
        long xSample = (long) g.inChannels() * g.height() * g.width();
        int slots = slots(n);
        // The weights are packed into GEMM panels once and shared by every sample's product.
        float[] packedW = n == 0 ? null : GemmBlocked.packWholeA(false, w, 0, k, o, k);
        pool.parallelFor(slots, 1, (s0, s1) -> {
            for (int slot = s0; slot < s1; slot++) {
                long colOff = slot * colFloats;
                for (int s = slot; s < n; s += slots) {
                    long yOff = (long) s * o * p;
                    if (isPointwise(g)) {
                        // A 1x1 stride-1 unpadded convolution is a plain GEMM on the sample itself.
                        GemmBlocked.runPackedA(packedW, o, k, false, p, 1f, x, s * xSample, p, 0f, y, yOff, p);
                    } else {
                        im2col(x, s * xSample, g, ws, colOff, p);
                        GemmBlocked.runPackedA(packedW, o, k, false, p, 1f, ws, colOff, p, 0f, y, yOff, p);
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
        if (dx != null && WinogradConvolution.applies(g)) {
            winograd.backwardData(dy, w, dx, g);
        } else if (dx != null && n > 0) {
            int slots = slots(n);
            // W^T [patch, outChannels] is packed into GEMM panels once and shared by every sample's product.
            float[] packedWt = GemmBlocked.packWholeA(true, w, 0, k, k, o);
            pool.parallelFor(slots, 1, (s0, s1) -> {
                for (int slot = s0; slot < s1; slot++) {
                    long colOff = slot * colFloats;
                    for (int s = slot; s < n; s += slots) {
                        if (isPointwise(g)) {
                            GemmBlocked.runPackedA(packedWt, k, o, false, p, 1f, dy, (long) s * o * p, p, 0f, dx, s * xSample, p);
                        } else {
                            GemmBlocked.runPackedA(packedWt, k, o, false, p, 1f, dy, (long) s * o * p, p, 0f, ws, colOff, p);
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
        if (WinogradConvolution.applies(g)) {
            winograd.weightGradient(x, dy, dw, g);
            return;
        }
        if (n == 0) {
            for (long i = 0; i < (long) o * k; i++) dw.setAtIndex(F, i, 0f);
            return;
        }
        int block = dwBlock(g);
        if (k <= SKINNY_PATCH) {
            skinnyWeightGradient(x, dy, dw, g, block);
            return;
        }
        long dwtOff = (long) block * (k + o) * p;
        for (int b0 = 0; b0 < n; b0 += block) {
            int first = b0;
            int count = Math.min(block, n - b0);
            int width = count * p;
            long dyOff = (long) k * width;
            stageBlock(x, dy, g, ws, first, count, dyOff);
            // dW^T [patch, outChannels] (+)= col [patch, width] x dy^T [width, outChannels]: the patch rows are the
            // long side, so the threads split them evenly (each packs its own copy of dy); every element's sum runs
            // in the same order whatever the split, which keeps the result identical for any thread count.
            GemmBlocked.runPooled(pool, false, true, k, o, width, 1f, ws, 0, width, ws, dyOff, width,
                    first == 0 ? 0f : 1f, ws, dwtOff, o);
        }
        pool.parallelFor(o, 4, (o0, o1) -> {
            for (int oc = o0; oc < o1; oc++) {
                for (int j = 0; j < k; j++) dw.setAtIndex(F, (long) oc * k + j, ws.getAtIndex(F, dwtOff + (long) j * o + oc));
            }
        });
    }

    /**
     * The weight gradient of a layer with few patch rows (a first layer: 1 or 3 channels): GEMM packing would cost
     * more than the arithmetic there, so dW is dot products of the block's output-gradient rows with its im2col rows
     * ({@link DotBlocks}), laid side by side as in {@link #weightGradient} but on the heap, where the products read
     * them as arrays.
     */
    private void skinnyWeightGradient(MemorySegment x, MemorySegment dy, MemorySegment dw, ConvGeometry g, int block) {
        int n = g.batch(), o = g.outChannels(), k = g.patchSize();
        int p = g.outHeight() * g.outWidth();
        float[] staged = skinnyStage(Math.toIntExact((long) block * (k + o) * p));
        float[] sums = new float[o * k];
        MemorySegment view = MemorySegment.ofArray(staged);
        for (int b0 = 0; b0 < n; b0 += block) {
            int first = b0;
            int count = Math.min(block, n - b0);
            int width = count * p;
            int dyOff = k * width;
            stageBlock(x, dy, g, view, first, count, dyOff);
            pool.parallelFor(o, 4, (o0, o1) -> DotBlocks.multiply(staged, dyOff + o0 * width, o1 - o0, staged, 0, k,
                    width, width, sums, o0 * k, first > 0));
        }
        MemorySegment.copy(sums, 0, dw, F, 0, o * k);
    }

    /** The calling thread's staging buffer for {@link #skinnyWeightGradient}, at least {@code size} floats. */
    private static float[] skinnyStage(int size) {
        float[] staged = SKINNY_STAGE.get();
        if (staged.length < size) {
            staged = new float[size];
            SKINNY_STAGE.set(staged);
        }
        return staged;
    }

    /** Lays the block's im2col matrices side by side at ws[0 ..] and its output gradients at ws[dyOff ..]. */
    private void stageBlock(MemorySegment x, MemorySegment dy, ConvGeometry g, MemorySegment ws, int first, int count, long dyOff) {
        int o = g.outChannels(), p = g.outHeight() * g.outWidth();
        int width = count * p;
        long xSample = (long) g.inChannels() * g.height() * g.width();
        pool.parallelFor(count, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int s = first + i;
                im2col(x, s * xSample, g, ws, (long) i * p, width);
                for (int oc = 0; oc < o; oc++) {
                    MemorySegment.copy(dy, 4 * (((long) s * o + oc) * p), ws, 4 * (dyOff + (long) oc * width + (long) i * p), 4L * p);
                }
            }
        });
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
