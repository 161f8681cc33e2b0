package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 3x3 stride-1 "same" convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", CVPR 2016): every 2x2 output tile costs 16 multiplies per channel pair instead of
 * 36, so the multiply work of the forward pass and of both gradients drops 2.25-fold against im2col + GEMM.
 *
 * <p>Each input tile d (4x4, overlapping by two) becomes B^T d B, each kernel g becomes G g G^T, and for each of the 16
 * positions xi of the transformed tile one GEMM multiplies the transformed kernels [out, in] by the transformed tiles
 * [in, tiles]; the output tile is A^T m A. The input gradient is the same computation on the output gradients with
 * the kernels flipped and their channels swapped; the weight gradient is the adjoint (see {@link #weightGradient}).
 * Work is split by blocks of samples (or, for the weight gradient, by tile position) and every output element's sum
 * runs in an order fixed by the geometry, so results are bit-identical for any thread count. The transformed tiles
 * live in per-thread heap buffers, reused from call to call.
 */
final class WinogradConvolution {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final VectorSpecies<Float> FS = CpuElementwise.FS;
    private static final int V = FS.length();
    /** Positions of a transformed 4x4 tile. */
    private static final int XI = 16;
    /**
     * Fewer channels than this on either side leave GEMMs too shallow or too narrow to pay for the transforms (a
     * first layer's 1 or 3 channels); im2col handles those.
     */
    static final int MIN_CHANNELS = 16;
    /** GEMM columns (tiles) per block of samples: several packed panels per product while V and M stay in L2. */
    private static final int TARGET_COLUMNS = 128;
    /** Tiles per block of the weight gradient: the depth of its products, which the threads share by position. */
    private static final int WEIGHT_GRADIENT_COLUMNS = 512;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final WorkerPool pool;

    WinogradConvolution(WorkerPool pool) {
        this.pool = pool;
    }

    /** Whether this geometry is a 3x3, stride-1, padding-1 convolution on even-sized planes with enough channels. */
    static boolean applies(ConvGeometry g) {
        return g.kernel() == 3 && g.stride() == 1 && g.padding() == 1 && g.height() % 2 == 0 && g.width() % 2 == 0
                && g.inChannels() >= MIN_CHANNELS && g.outChannels() >= MIN_CHANNELS;
    }

    /** y = conv(x, w) + bias. */
    void forward(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, ConvGeometry g) {
        float[] kernels = transformKernels(w, g.outChannels(), g.inChannels(), false);
        run(x, g.inChannels(), kernels, g.outChannels(), bias, y, g);
    }

    /** dx = the input gradient of the convolution for output gradients dy (dx overwritten). */
    void backwardData(MemorySegment dy, MemorySegment w, MemorySegment dx, ConvGeometry g) {
        float[] kernels = transformKernels(w, g.inChannels(), g.outChannels(), true);
        run(dy, g.outChannels(), kernels, g.inChannels(), null, dx, g);
    }

    /**
     * dw = the weight gradient, a sum over the batch: per block of samples, V = B^T d B of the input tiles and
     * Y' = A g A^T of the output-gradient tiles (g 2x2), then dU[xi] (+)= Y'[xi] V[xi]^T over the block's tiles; at the
     * end dw = G^T dU G. Blocks run in batch order and each position's sums run in an order fixed by the geometry
     * (the threads split the 16 positions), so the result is bit-identical for any thread count.
     */
    void weightGradient(MemorySegment x, MemorySegment dy, MemorySegment dw, ConvGeometry g) {
        int n = g.batch(), inCh = g.inChannels(), outCh = g.outChannels();
        if (n == 0) {
            dw.asSlice(0, 4L * outCh * inCh * 9).fill((byte) 0);
            return;
        }
        Tiling t = Tiling.ofWeightGradient(g);
        int cols = t.columns(), tiles = t.tiles(), plane = g.height() * g.width();
        int yOff = Math.toIntExact((long) XI * inCh * cols);
        Scratch owner = SCRATCH.get();
        float[] du = owner.kernels(XI * outCh * inCh);
        // V and Y' live on the heap: the products below read them as arrays, which C2 checks most cheaply.
        float[] transformed = owner.transformed(Math.toIntExact((long) XI * cols * (inCh + outCh)));
        for (int b = 0; b < t.blocks(n); b++) {
            int first = b * t.blockSamples(), count = Math.min(t.blockSamples(), n - first);
            // One task per channel row of V or Y': a row's samples are written in order, so a sample's spill into
            // the next one's columns is always overwritten by the same thread.
            pool.parallelFor(inCh + outCh, 1, (r0, r1) -> {
                Scratch scratch = SCRATCH.get().fit(t);
                for (int r = r0; r < r1; r++) {
                    for (int i = 0; i < count; i++) {
                        if (r < inCh) {
                            inputTransform(x, ((long) (first + i) * inCh + r) * plane, t, scratch, transformed,
                                    r * cols + i * tiles, inCh * cols);
                        } else {
                            int oc = r - inCh;
                            gradientTransform(dy, ((long) (first + i) * outCh + oc) * plane, t, scratch, transformed,
                                    yOff + oc * cols + i * tiles, outCh * cols);
                        }
                    }
                }
            });
            boolean accumulate = b > 0;
            int depth = count * tiles;
            pool.parallelFor(XI, 1, (x0, x1) -> {
                for (int xi = x0; xi < x1; xi++) {
                    DotBlocks.multiply(transformed, yOff + xi * outCh * cols, outCh, transformed, xi * inCh * cols, inCh,
                            cols, depth, du, xi * outCh * inCh, accumulate);
                }
            });
        }
        pool.parallelFor(outCh, 4, (o0, o1) -> {
            float[] u = new float[16], half = new float[12];
            for (int oc = o0; oc < o1; oc++) {
                for (int c = 0; c < inCh; c++) {
                    for (int xi = 0; xi < XI; xi++) u[xi] = du[(xi * outCh + oc) * inCh + c];
                    kernelGradient(u, half, dw, 9L * ((long) oc * inCh + c));
                }
            }
        });
    }

    /**
     * dw[off ..] (3x3) = G^T u G for a 4x4 u; G^T = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1]. {@code gu} (12 floats) holds G^T u.
     */
    static void kernelGradient(float[] u, float[] gu, MemorySegment dw, long off) {
        for (int j = 0; j < 4; j++) {
            float u0 = u[j], u1 = u[4 + j], u2 = u[8 + j], u3 = u[12 + j];
            gu[j] = u0 + 0.5f * (u1 + u2);
            gu[4 + j] = 0.5f * (u1 - u2);
            gu[8 + j] = 0.5f * (u1 + u2) + u3;
        }
        for (int a = 0; a < 3; a++) {
            float v0 = gu[4 * a], v1 = gu[4 * a + 1], v2 = gu[4 * a + 2], v3 = gu[4 * a + 3];
            dw.setAtIndex(F, off + 3 * a, v0 + 0.5f * (v1 + v2));
            dw.setAtIndex(F, off + 3 * a + 1, 0.5f * (v1 - v2));
            dw.setAtIndex(F, off + 3 * a + 2, 0.5f * (v1 + v2) + v3);
        }
    }

    private int slots(Tiling t, int batch) {
        return Math.max(1, Math.min(pool.threads(), t.blocks(batch)));
    }

    /**
     * G g G^T for every kernel, packed as 16 GEMM left operands [rows, depth] (one per tile position). Forward: row =
     * output channel, depth = input channel, g = w[row, depth]. Input gradient ({@code flipped}): row = input channel,
     * depth = output channel, g = w[depth, row] rotated by 180 degrees.
     */
    private float[] transformKernels(MemorySegment w, int rows, int depth, boolean flipped) {
        Scratch owner = SCRATCH.get();
        int matrix = rows * depth;
        float[] plain = owner.kernels(XI * matrix);
        int packedSize = GemmBlocked.packedWholeASize(rows, depth);
        float[] packed = owner.packedKernels(XI * packedSize);
        pool.parallelFor(rows, 8, (r0, r1) -> {
            float[] g = new float[9];
            float[] half = new float[12];
            for (int r = r0; r < r1; r++) {
                for (int q = 0; q < depth; q++) {
                    long base = 9L * (flipped ? (long) q * rows + r : (long) r * depth + q);
                    for (int e = 0; e < 9; e++) g[e] = w.getAtIndex(F, base + (flipped ? 8 - e : e));
                    kernelTransform(g, half, plain, r * depth + q, matrix);
                }
            }
        });
        MemorySegment plainSegment = MemorySegment.ofArray(plain);
        pool.parallelFor(XI, 1, (x0, x1) -> {
            for (int xi = x0; xi < x1; xi++) {
                GemmBlocked.packWholeA(false, plainSegment, (long) xi * matrix, depth, rows, depth, packed, xi * packedSize);
            }
        });
        return packed;
    }

    /**
     * out[off + xi * stride] = (G g G^T)[xi] for a 3x3 kernel g (row-major), G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1];
     * {@code gg} (12 floats) holds G g.
     */
    static void kernelTransform(float[] g, float[] gg, float[] out, int off, int stride) {
        for (int c = 0; c < 3; c++) {
            float a = g[c], b = g[3 + c], d = g[6 + c];
            gg[c] = a;
            gg[3 + c] = 0.5f * (a + b + d);
            gg[6 + c] = 0.5f * (a - b + d);
            gg[9 + c] = d;
        }
        for (int r = 0; r < 4; r++) {
            float a = gg[3 * r], b = gg[3 * r + 1], d = gg[3 * r + 2];
            out[off + (4 * r) * stride] = a;
            out[off + (4 * r + 1) * stride] = 0.5f * (a + b + d);
            out[off + (4 * r + 2) * stride] = 0.5f * (a - b + d);
            out[off + (4 * r + 3) * stride] = d;
        }
    }

    /**
     * dst[s, oc] = sum over c of conv(src[s, c], kernel[oc, c]) (+ bias[oc]) through the transformed kernels: per
     * block of samples, transform the input tiles into V [16][inCh][columns], run the 16 GEMMs into M
     * [16][outCh][columns], and transform M back into output planes. A block's samples sit side by side in the
     * columns, T tiles each; a sample's last vector may spill into the next sample's columns, which are written after.
     */
    private void run(MemorySegment src, int inCh, float[] kernels, int outCh, MemorySegment bias, MemorySegment dst,
                     ConvGeometry g) {
        int n = g.batch();
        if (n == 0) return;
        Tiling t = Tiling.of(g);
        int cols = t.columns(), blocks = t.blocks(n), slots = slots(t, n), tiles = t.tiles();
        int mOff = Math.toIntExact((long) XI * inCh * cols), size = Math.toIntExact(mOff + (long) XI * outCh * cols);
        int packedSize = GemmBlocked.packedWholeASize(outCh, inCh);
        int plane = g.height() * g.width();
        pool.parallelFor(slots, 1, (s0, s1) -> {
            Scratch scratch = SCRATCH.get().fit(t);
            // V and M live in the thread's heap buffer, which the transforms and products read as arrays.
            float[] vm = scratch.transformed(size);
            MemorySegment view = MemorySegment.ofArray(vm);
            for (int slot = s0; slot < s1; slot++) {
                for (int b = slot; b < blocks; b += slots) {
                    int first = b * t.blockSamples(), count = Math.min(t.blockSamples(), n - first);
                    for (int i = 0; i < count; i++) {
                        for (int c = 0; c < inCh; c++) {
                            inputTransform(src, ((long) (first + i) * inCh + c) * plane, t, scratch, vm,
                                    c * cols + i * tiles, inCh * cols);
                        }
                    }
                    for (int xi = 0; xi < XI; xi++) {
                        GemmBlocked.runPackedA(kernels, xi * packedSize, outCh, inCh, false, count * tiles, 1f,
                                view, (long) xi * inCh * cols, cols, 0f, view, mOff + (long) xi * outCh * cols, cols);
                    }
                    for (int i = 0; i < count; i++) {
                        for (int oc = 0; oc < outCh; oc++) {
                            float add = bias == null ? 0f : bias.getAtIndex(F, oc);
                            outputTransform(vm, mOff + oc * cols + i * tiles, outCh * cols,
                                    add, t, scratch, dst, ((long) (first + i) * outCh + oc) * plane);
                        }
                    }
                }
            }
        });
    }

    /**
     * V[xi] = (B^T d B)[xi] for every 4x4 tile d of one plane (tile t = ty * W/2 + tx reads rows 2ty-1 .. 2ty+2 and
     * columns 2tx-1 .. 2tx+2, zero outside), tiles one float apart and positions {@code step} apart;
     * B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
     *
     * <p>No gathers: the plane is first split by row and column parity, so that each of a tile's inputs, for
     * consecutive tiles, is a contiguous run of one of the four quarter planes (shifted by one tile at the left and
     * right edges, where a blend supplies the zero border). The rows of the tiles are transformed from those
     * runs, then the columns from the transformed rows of the two row parities.
     */
    private static void inputTransform(MemorySegment src, long srcOff, Tiling t, Scratch sc, float[] v, int vOff,
                                       int step) {
        int w = t.width(), half = w / 2, tiles = t.tiles(), q = t.quarterStride(), r = t.rowStride();
        float[] raw = sc.raw, quarters = sc.quarters, rows = sc.rows;
        MemorySegment.copy(src, F, 4 * srcOff, raw, 0, t.height() * w);
        // quarters[(2 * rowParity + colParity) * q + 1 + rho * half + k] = x[2 rho + rowParity][2k + colParity]
        t.quarters().split(raw, quarters, 1);
        // Rows: e_j of input row y, j = 0..3, into rows[(4 * rowParity + j) * r + ...]; odd rows leave a zero row
        // in front (a tile's first row is the odd row above it), even rows a zero row behind (its last row).
        boolean[] first = t.firstColumn(), last = t.lastColumn();
        for (int parity = 0; parity < 2; parity++) {
            int xe = (2 * parity) * q + 1, xo = xe + q;
            int to = (4 * parity) * r + (parity == 1 ? half : 0);
            for (int f0 = 0; f0 < tiles; f0 += V) {
                // Tile column tx reads input columns 2tx-1 (odd column tx-1), 2tx (even tx), 2tx+1 (odd tx) and
                // 2tx+2 (even tx+1); the first and last tile of a row read the zero border instead.
                FloatVector d0 = FloatVector.fromArray(FS, quarters, xo + f0 - 1).blend(0f, VectorMask.fromArray(FS, first, f0));
                FloatVector d1 = FloatVector.fromArray(FS, quarters, xe + f0);
                FloatVector d2 = FloatVector.fromArray(FS, quarters, xo + f0);
                FloatVector d3 = FloatVector.fromArray(FS, quarters, xe + f0 + 1).blend(0f, VectorMask.fromArray(FS, last, f0));
                FloatVector e0 = d0.sub(d2), e1 = d1.add(d2), e2 = d2.sub(d1), e3 = d1.sub(d3);
                if (f0 + V <= tiles) {
                    e0.intoArray(rows, to + f0);
                    e1.intoArray(rows, to + r + f0);
                    e2.intoArray(rows, to + 2 * r + f0);
                    e3.intoArray(rows, to + 3 * r + f0);
                } else {
                    // The zero row behind the even rows must stay zero.
                    VectorMask<Float> inside = FS.indexInRange(f0, tiles);
                    e0.intoArray(rows, to + f0, inside);
                    e1.intoArray(rows, to + r + f0, inside);
                    e2.intoArray(rows, to + 2 * r + f0, inside);
                    e3.intoArray(rows, to + 3 * r + f0, inside);
                }
            }
        }
        // Columns: tile row ty takes the odd row above (2ty-1), its even row (2ty), the odd row (2ty+1) and the even
        // row below (2ty+2).
        for (int t0 = 0; t0 < tiles; t0 += V) {
            int at = vOff + t0;
            for (int j = 0; j < 4; j++, at += step) {
                int oddRows = (4 + j) * r + t0, evenRows = j * r + t0;
                FloatVector e0 = FloatVector.fromArray(FS, rows, oddRows), e1 = FloatVector.fromArray(FS, rows, evenRows);
                FloatVector e2 = FloatVector.fromArray(FS, rows, oddRows + half);
                FloatVector e3 = FloatVector.fromArray(FS, rows, evenRows + half);
                e0.sub(e2).intoArray(v, at);
                e1.add(e2).intoArray(v, at + 4 * step);
                e2.sub(e1).intoArray(v, at + 8 * step);
                e1.sub(e3).intoArray(v, at + 12 * step);
            }
        }
    }

    /**
     * Y'[xi] = (A g A^T)[xi] for every 2x2 tile g of one output-gradient plane (tile t = ty * W/2 + tx), laid out as
     * {@link #inputTransform} lays out V; A = [1 0; 1 1; 1 -1; 0 -1]. The plane is split by row and column parity,
     * so each of a tile's four values is a contiguous run over consecutive tiles.
     */
    private static void gradientTransform(MemorySegment dy, long dyOff, Tiling t, Scratch sc, float[] v, int vOff,
                                          int step) {
        int w = t.width(), tiles = t.tiles(), q = t.quarterStride();
        float[] raw = sc.raw, quarters = sc.quarters;
        MemorySegment.copy(dy, F, 4 * dyOff, raw, 0, t.height() * w);
        t.quarters().split(raw, quarters, 0);
        for (int t0 = 0; t0 < tiles; t0 += V) {
            FloatVector g00 = FloatVector.fromArray(FS, quarters, t0), g01 = FloatVector.fromArray(FS, quarters, q + t0);
            FloatVector g10 = FloatVector.fromArray(FS, quarters, 2 * q + t0), g11 = FloatVector.fromArray(FS, quarters, 3 * q + t0);
            int at = vOff + t0;
            // Rows of A g: g0, g0 + g1, g0 - g1, -g1; each row h then becomes h0, h0 + h1, h0 - h1, -h1.
            gradientRow(g00, g01, v, at, step);
            gradientRow(g00.add(g10), g01.add(g11), v, at + 4 * step, step);
            gradientRow(g00.sub(g10), g01.sub(g11), v, at + 8 * step, step);
            gradientRow(g10.neg(), g11.neg(), v, at + 12 * step, step);
        }
    }

    private static void gradientRow(FloatVector h0, FloatVector h1, float[] v, int at, int step) {
        h0.intoArray(v, at);
        h0.add(h1).intoArray(v, at + step);
        h0.sub(h1).intoArray(v, at + 2 * step);
        h1.neg().intoArray(v, at + 3 * step);
    }

    /**
     * One output plane from M: each 2x2 tile is A^T m A (+ add), A^T = [1 1 1 0; 0 1 -1 -1], computed for runs of
     * tiles into four quarter planes (output row and column parity) that are then interleaved into the plane.
     */
    private static void outputTransform(float[] m, int mOff, int step, float add, Tiling t, Scratch sc,
                                        MemorySegment dst, long dstOff) {
        int w = t.width(), tiles = t.tiles(), q = t.quarterStride();
        float[] stage = sc.stage, quarters = sc.quarters, out = sc.raw;
        FloatVector bias = FloatVector.broadcast(FS, add);
        for (int t0 = 0; t0 < tiles; t0 += V) {
            // Columns of m first, r = A^T m, staged in L1; then the rows, y = r A.
            int at = mOff + t0;
            for (int j = 0; j < 4; j++, at += step) {
                FloatVector m0 = FloatVector.fromArray(FS, m, at);
                FloatVector m1 = FloatVector.fromArray(FS, m, at + 4 * step);
                FloatVector m2 = FloatVector.fromArray(FS, m, at + 8 * step);
                FloatVector m3 = FloatVector.fromArray(FS, m, at + 12 * step);
                m0.add(m1).add(m2).intoArray(stage, j * V);
                m1.sub(m2).sub(m3).intoArray(stage, (4 + j) * V);
            }
            for (int a = 0; a < 2; a++) {
                FloatVector r0 = FloatVector.fromArray(FS, stage, (4 * a) * V), r1 = FloatVector.fromArray(FS, stage, (4 * a + 1) * V);
                FloatVector r2 = FloatVector.fromArray(FS, stage, (4 * a + 2) * V), r3 = FloatVector.fromArray(FS, stage, (4 * a + 3) * V);
                r0.add(r1).add(r2).add(bias).intoArray(quarters, (2 * a) * q + t0);
                r1.sub(r2).sub(r3).add(bias).intoArray(quarters, (2 * a + 1) * q + t0);
            }
        }
        t.quarters().join(quarters, out);
        MemorySegment.copy(out, 0, dst, F, 4 * dstOff, t.height() * w);
    }

    /**
     * How a geometry's planes split into 2x2 output tiles: T tiles per sample, samples per GEMM block, the sizes of
     * the per-thread quarter planes and transformed rows, and which tiles start or end a tile row.
     */
    private record Tiling(int height, int width, int tiles, int blockSamples, boolean[] firstColumn,
                          boolean[] lastColumn, PlaneQuarters quarters) {
        static Tiling of(ConvGeometry g) {
            return of(g, TARGET_COLUMNS);
        }

        /** Longer blocks for the weight gradient, whose products run along the tiles. */
        static Tiling ofWeightGradient(ConvGeometry g) {
            return of(g, WEIGHT_GRADIENT_COLUMNS);
        }

        private static Tiling of(ConvGeometry g, int targetColumns) {
            int h = g.height(), w = g.width(), half = w / 2;
            int tiles = (h / 2) * half;
            int block = Math.max(1, Math.min(Math.max(1, g.batch()), targetColumns / tiles));
            int span = GemmBlocked.roundUp(tiles, V) + V;
            boolean[] first = new boolean[span], last = new boolean[span];
            for (int f = 0; f < span; f++) {
                first[f] = f % half == 0;
                last[f] = f % half == half - 1;
            }
            return new Tiling(h, w, tiles, block, first, last, new PlaneQuarters(h, w, quarterStride(tiles)));
        }

        /** GEMM columns of a block, with a vector of room for the last sample's spill. */
        int columns() {
            return GemmBlocked.roundUp(blockSamples * tiles, V) + V;
        }

        int blocks(int batch) {
            return (batch + blockSamples - 1) / blockSamples;
        }

        /** Floats per quarter plane: T values, one float of room before (masked loads) and a vector after. */
        int quarterStride() {
            return quarterStride(tiles);
        }

        private static int quarterStride(int tiles) {
            return GemmBlocked.roundUp(tiles, V) + V + 1;
        }

        /** Floats per transformed-row array: T values plus a zero tile row, and a vector of room. */
        int rowStride() {
            return GemmBlocked.roundUp(tiles + width / 2, V) + V;
        }
    }

    /** Per-thread buffers, sized for one geometry at a time and reused while it stays. */
    private static final class Scratch {
        /** The kernels' 16 transformed matrices before packing; on the calling thread of a weight gradient, dU. */
        float[] kernels = new float[0];
        float[] packedKernels = new float[0];
        /** V and M of a block (forward, input gradient), or V and Y' of a weight-gradient block. */
        float[] transformed = new float[0];
        /** A plane as read, or as written. */
        float[] raw = new float[0];
        /** Four quarter planes of a plane (row parity x column parity). */
        float[] quarters = new float[0];
        /** The transformed rows of both row parities; the zero rows are never written. */
        float[] rows = new float[0];
        /** One vector per position of a 4x4 tile: the half-transformed tiles between the two passes. */
        final float[] stage = new float[16 * V];
        private int height, width;

        Scratch fit(Tiling t) {
            if (t.height() != height || t.width() != width) {
                raw = new float[t.height() * t.width()];
                quarters = new float[4 * t.quarterStride()];
                rows = new float[8 * t.rowStride()];
                height = t.height();
                width = t.width();
            }
            return this;
        }

        float[] kernels(int size) {
            if (kernels.length < size) kernels = new float[size];
            return kernels;
        }

        float[] transformed(int size) {
            if (transformed.length < size) transformed = new float[size];
            return transformed;
        }

        float[] packedKernels(int size) {
            if (packedKernels.length < size) packedKernels = new float[size];
            return packedKernels;
        }
    }
}
