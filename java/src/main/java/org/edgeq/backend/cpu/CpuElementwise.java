package org.edgeq.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgeq.backend.Philox;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element-wise kernels, reductions, dropout and optimiser updates over float segments, split into fixed-size
 * blocks so that results (reductions included) do not depend on the number of threads or their timing.
 */
final class CpuElementwise {
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Elements per parallel block; fixed so that reduction order is the same for any thread count. */
    static final int BLOCK = 1 << 14;
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int DROPOUT_CHUNK = 1024;
    /** Each worker thread's buffer of Philox uniforms, kept so that dropout allocates nothing per batch. */
    private static final ThreadLocal<float[]> DROPOUT_UNIFORMS = ThreadLocal.withInitial(() -> new float[DROPOUT_CHUNK]);
    /** Doubles per preferred vector, and a float species with as many lanes, for exact float-to-double sums. */
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> FS_HALF = VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(DS.vectorBitSize() / 2));
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final WorkerPool pool;

    CpuElementwise(WorkerPool pool) {
        this.pool = pool;
    }

    @FunctionalInterface
    interface BlockBody {
        void run(int from, int to);
    }

    @FunctionalInterface
    interface BlockReduction {
        double run(int from, int to);
    }

    void forBlocks(int n, BlockBody body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        pool.parallelFor(blocks, 1, (b0, b1) -> body.run(b0 * BLOCK, (int) Math.min(n, (long) b1 * BLOCK)));
    }

    /** Sums per-block partial results in block order, so the total is independent of the thread count. */
    double reduceBlocks(int n, BlockReduction body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        if (blocks <= 1) return n == 0 ? 0.0 : body.run(0, n);
        double[] partial = new double[blocks];
        pool.parallelFor(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) partial[b] = body.run(b * BLOCK, (int) Math.min(n, (long) (b + 1) * BLOCK));
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    void fill(MemorySegment x, int n, float value) {
        forBlocks(n, (from, to) -> {
            FloatVector v = FloatVector.broadcast(FS, value);
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) v.intoMemorySegment(x, 4L * i, NATIVE);
            for (; i < to; i++) x.setAtIndex(F, i, value);
        });
    }

    void copy(MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> MemorySegment.copy(x, (long) from * 4, y, (long) from * 4, (long) (to - from) * 4));
    }

    void axpy(float alpha, MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                FloatVector xv = FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE);
                FloatVector yv = FloatVector.fromMemorySegment(FS, y, 4L * i, NATIVE);
                xv.fma(FloatVector.broadcast(FS, alpha), yv).intoMemorySegment(y, 4L * i, NATIVE);
            }
            for (; i < to; i++) y.setAtIndex(F, i, Math.fma(x.getAtIndex(F, i), alpha, y.getAtIndex(F, i)));
        });
    }

    void scale(MemorySegment x, int n, float alpha) {
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE).mul(alpha).intoMemorySegment(x, 4L * i, NATIVE);
            }
            for (; i < to; i++) x.setAtIndex(F, i, x.getAtIndex(F, i) * alpha);
        });
    }

    void addRowVector(MemorySegment x, int rows, int cols, MemorySegment bias) {
        pool.parallelFor(rows, Math.max(1, BLOCK / Math.max(1, cols)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                addInPlace(x, (long) r * cols, bias, 0, cols);
            }
        });
    }

    /** x[xOff + j] += b[bOff + j] for j in [0, n). */
    static void addInPlace(MemorySegment x, long xOff, MemorySegment b, long bOff, int n) {
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector xv = FloatVector.fromMemorySegment(FS, x, 4 * (xOff + j), NATIVE);
            xv.add(FloatVector.fromMemorySegment(FS, b, 4 * (bOff + j), NATIVE)).intoMemorySegment(x, 4 * (xOff + j), NATIVE);
        }
        for (; j < n; j++) x.setAtIndex(F, xOff + j, x.getAtIndex(F, xOff + j) + b.getAtIndex(F, bOff + j));
    }

    /*
     * Short-row helpers for im2col and col2im (rows of 1..32 floats): full vectors, then a scalar tail. Masked
     * vector stores to memory segments are not intrinsified by this JDK and run a slow per-lane fallback.
     */

    /** Copies n floats. */
    static void copyFloats(MemorySegment src, long srcIdx, MemorySegment dst, long dstIdx, int n) {
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector.fromMemorySegment(FS, src, 4 * (srcIdx + j), NATIVE).intoMemorySegment(dst, 4 * (dstIdx + j), NATIVE);
        }
        for (; j < n; j++) dst.setAtIndex(F, dstIdx + j, src.getAtIndex(F, srcIdx + j));
    }

    /** Sets n floats to zero. */
    static void zeroFloats(MemorySegment dst, long idx, int n) {
        int j = 0;
        if (n >= FS.length()) {
            FloatVector zero = FloatVector.zero(FS);
            for (int end = FS.loopBound(n); j < end; j += FS.length()) zero.intoMemorySegment(dst, 4 * (idx + j), NATIVE);
        }
        for (; j < n; j++) dst.setAtIndex(F, idx + j, 0f);
    }

    /** x[xOff + j] += b[bOff + j] for j in [0, n), for short rows. */
    static void addShort(MemorySegment x, long xOff, MemorySegment b, long bOff, int n) {
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector xv = FloatVector.fromMemorySegment(FS, x, 4 * (xOff + j), NATIVE);
            xv.add(FloatVector.fromMemorySegment(FS, b, 4 * (bOff + j), NATIVE)).intoMemorySegment(x, 4 * (xOff + j), NATIVE);
        }
        for (; j < n; j++) x.setAtIndex(F, xOff + j, x.getAtIndex(F, xOff + j) + b.getAtIndex(F, bOff + j));
    }

    /** Sum over [off, off + n) of (x - mean)^2, in double. */
    static double sumSquaredDeviations(MemorySegment x, long off, int n, double mean) {
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (int end = FS_HALF.loopBound(n); j < end; j += FS_HALF.length()) {
            DoubleVector d = ((DoubleVector) FloatVector.fromMemorySegment(FS_HALF, x, 4 * (off + j), NATIVE)
                    .convertShape(VectorOperators.F2D, DS, 0)).sub(mean);
            acc = d.fma(d, acc);
        }
        double s = Lanes.sum(acc);
        for (; j < n; j++) {
            double d = x.getAtIndex(F, off + j) - mean;
            s += d * d;
        }
        return s;
    }

    /** Sum over [off, off + n) of dy * (x - mean), in double. */
    static double sumCenteredProducts(MemorySegment dy, MemorySegment x, long off, int n, double mean) {
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (int end = FS_HALF.loopBound(n); j < end; j += FS_HALF.length()) {
            DoubleVector xv = ((DoubleVector) FloatVector.fromMemorySegment(FS_HALF, x, 4 * (off + j), NATIVE)
                    .convertShape(VectorOperators.F2D, DS, 0)).sub(mean);
            DoubleVector gv = (DoubleVector) FloatVector.fromMemorySegment(FS_HALF, dy, 4 * (off + j), NATIVE)
                    .convertShape(VectorOperators.F2D, DS, 0);
            acc = xv.fma(gv, acc);
        }
        double s = Lanes.sum(acc);
        for (; j < n; j++) s += (x.getAtIndex(F, off + j) - mean) * dy.getAtIndex(F, off + j);
        return s;
    }

    /** y = x * a + b over [off, off + n). */
    static void affine(MemorySegment x, MemorySegment y, long off, int n, float a, float b) {
        FloatVector av = FloatVector.broadcast(FS, a), bv = FloatVector.broadcast(FS, b);
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector.fromMemorySegment(FS, x, 4 * (off + j), NATIVE).fma(av, bv).intoMemorySegment(y, 4 * (off + j), NATIVE);
        }
        for (; j < n; j++) y.setAtIndex(F, off + j, Math.fma(x.getAtIndex(F, off + j), a, b));
    }

    /** out = dy * a + x * b + c over [off, off + n). */
    static void affine2(MemorySegment dy, MemorySegment x, MemorySegment out, long off, int n, float a, float b, float c) {
        FloatVector av = FloatVector.broadcast(FS, a), bv = FloatVector.broadcast(FS, b), cv = FloatVector.broadcast(FS, c);
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector xb = FloatVector.fromMemorySegment(FS, x, 4 * (off + j), NATIVE).fma(bv, cv);
            FloatVector.fromMemorySegment(FS, dy, 4 * (off + j), NATIVE).fma(av, xb).intoMemorySegment(out, 4 * (off + j), NATIVE);
        }
        for (; j < n; j++) {
            out.setAtIndex(F, off + j, Math.fma(dy.getAtIndex(F, off + j), a, Math.fma(x.getAtIndex(F, off + j), b, c)));
        }
    }

    /** x[off + j] += value for j in [0, n). */
    static void addScalarInPlace(MemorySegment x, long off, float value, int n) {
        int j = 0;
        for (int end = FS.loopBound(n); j < end; j += FS.length()) {
            FloatVector.fromMemorySegment(FS, x, 4 * (off + j), NATIVE).add(value).intoMemorySegment(x, 4 * (off + j), NATIVE);
        }
        for (; j < n; j++) x.setAtIndex(F, off + j, x.getAtIndex(F, off + j) + value);
    }

    /** Sum of x[off .. off + n) accumulated in double, lanes combined in a fixed order. */
    static double sumDouble(MemorySegment x, long off, int n) {
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (int end = FS_HALF.loopBound(n); j < end; j += FS_HALF.length()) {
            acc = acc.add(FloatVector.fromMemorySegment(FS_HALF, x, 4 * (off + j), NATIVE).convertShape(VectorOperators.F2D, DS, 0));
        }
        double s = Lanes.sum(acc);
        for (; j < n; j++) s += x.getAtIndex(F, off + j);
        return s;
    }

    /** Sum of squares of x[off .. off + n) accumulated in double. */
    static double sumSquaresDouble(MemorySegment x, long off, int n) {
        DoubleVector acc = DoubleVector.zero(DS);
        int j = 0;
        for (int end = FS_HALF.loopBound(n); j < end; j += FS_HALF.length()) {
            DoubleVector d = (DoubleVector) FloatVector.fromMemorySegment(FS_HALF, x, 4 * (off + j), NATIVE).convertShape(VectorOperators.F2D, DS, 0);
            acc = d.fma(d, acc);
        }
        double s = Lanes.sum(acc);
        for (; j < n; j++) {
            double v = x.getAtIndex(F, off + j);
            s += v * v;
        }
        return s;
    }

    void sumRows(MemorySegment x, int rows, int cols, MemorySegment out, float beta) {
        // Each column sums its rows in row order in double, whichever chunk or lane it falls in.
        int lanes = FS_HALF.length();
        pool.parallelFor(cols, 64, (c0, c1) -> {
            int j = c0;
            for (; j + lanes <= c1; j += lanes) {
                DoubleVector acc = DoubleVector.zero(DS);
                for (int r = 0; r < rows; r++) {
                    acc = acc.add(FloatVector.fromMemorySegment(FS_HALF, x, 4 * ((long) r * cols + j), NATIVE).convertShape(VectorOperators.F2D, DS, 0));
                }
                for (int l = 0; l < lanes; l++) {
                    float old = beta == 0f ? 0f : beta * out.getAtIndex(F, j + l);
                    out.setAtIndex(F, j + l, (float) (old + acc.lane(l)));
                }
            }
            for (; j < c1; j++) {
                double acc = 0;
                for (int r = 0; r < rows; r++) acc += x.getAtIndex(F, (long) r * cols + j);
                float old = beta == 0f ? 0f : beta * out.getAtIndex(F, j);
                out.setAtIndex(F, j, (float) (old + acc));
            }
        });
    }

    void relu(MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE).max(0f).intoMemorySegment(y, 4L * i, NATIVE);
            }
            for (; i < to; i++) y.setAtIndex(F, i, Math.max(x.getAtIndex(F, i), 0f));
        });
    }

    void reluBackward(MemorySegment y, MemorySegment dy, MemorySegment dx, int n) {
        forBlocks(n, (from, to) -> {
            int i = from;
            FloatVector zero = FloatVector.zero(FS);
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                VectorMask<Float> positive = FloatVector.fromMemorySegment(FS, y, 4L * i, NATIVE).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromMemorySegment(FS, dy, 4L * i, NATIVE), positive).intoMemorySegment(dx, 4L * i, NATIVE);
            }
            for (; i < to; i++) dx.setAtIndex(F, i, y.getAtIndex(F, i) > 0f ? dy.getAtIndex(F, i) : 0f);
        });
    }

    double sum(MemorySegment x, int n) {
        return reduceBlocks(n, (from, to) -> sumDouble(x, from, to - from));
    }

    double sumOfSquares(MemorySegment x, int n) {
        return reduceBlocks(n, (from, to) -> sumSquaresDouble(x, from, to - from));
    }

    boolean allFinite(MemorySegment x, int n) {
        double bad = reduceBlocks(n, (from, to) -> {
            // x - x is 0 for finite x and NaN for NaN or infinity, so one NaN check covers both.
            FloatVector acc = FloatVector.zero(FS);
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                FloatVector v = FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE);
                acc = acc.add(v.sub(v));
            }
            if (acc.test(VectorOperators.IS_NAN).anyTrue()) return 1;
            for (; i < to; i++) if (!Float.isFinite(x.getAtIndex(F, i))) return 1;
            return 0;
        });
        return bad == 0;
    }

    void dropout(MemorySegment x, MemorySegment y, MemorySegment mask, int n, float p, long seed, long offset) {
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        forBlocks(n, (from, to) -> {
            float[] u = DROPOUT_UNIFORMS.get();
            for (int c0 = from; c0 < to; c0 += DROPOUT_CHUNK) {
                int len = Math.min(DROPOUT_CHUNK, to - c0);
                Philox.uniforms(seed, offset + c0, u, len);
                FloatVector keepV = FloatVector.broadcast(FS, keep), zero = FloatVector.zero(FS);
                int j = 0;
                for (int end = FS.loopBound(len); j < end; j += FS.length()) {
                    long at = 4L * (c0 + j);
                    FloatVector m = keepV.blend(zero, FloatVector.fromArray(FS, u, j).compare(VectorOperators.LT, p));
                    m.intoMemorySegment(mask, at, NATIVE);
                    FloatVector.fromMemorySegment(FS, x, at, NATIVE).mul(m).intoMemorySegment(y, at, NATIVE);
                }
                for (; j < len; j++) {
                    float m = u[j] < p ? 0f : keep;
                    mask.setAtIndex(F, c0 + j, m);
                    y.setAtIndex(F, c0 + j, x.getAtIndex(F, c0 + j) * m);
                }
            }
        });
    }

    void multiply(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                FloatVector av = FloatVector.fromMemorySegment(FS, a, 4L * i, NATIVE);
                av.mul(FloatVector.fromMemorySegment(FS, b, 4L * i, NATIVE)).intoMemorySegment(out, 4L * i, NATIVE);
            }
            for (; i < to; i++) out.setAtIndex(F, i, a.getAtIndex(F, i) * b.getAtIndex(F, i));
        });
    }

    void adam(MemorySegment param, MemorySegment grad, MemorySegment m, MemorySegment v, int n, float lr, float b1,
              float b2, float eps, float wd, boolean decoupled, int step) {
        float stepSize = (float) (lr / (1.0 - StrictMath.pow(b1, step)));
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(1.0 - StrictMath.pow(b2, step)));
        float decay = 1f - lr * wd;
        float c1 = 1f - b1, c2 = 1f - b2;
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                long off = 4L * i;
                FloatVector w = FloatVector.fromMemorySegment(FS, param, off, NATIVE);
                FloatVector g = FloatVector.fromMemorySegment(FS, grad, off, NATIVE);
                if (decoupled) w = w.mul(decay);
                else g = w.fma(FloatVector.broadcast(FS, wd), g);
                FloatVector mi = FloatVector.fromMemorySegment(FS, m, off, NATIVE).mul(b1).add(g.mul(c1));
                FloatVector vi = FloatVector.fromMemorySegment(FS, v, off, NATIVE).mul(b2).add(g.mul(g).mul(c2));
                mi.intoMemorySegment(m, off, NATIVE);
                vi.intoMemorySegment(v, off, NATIVE);
                FloatVector denom = vi.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
                w.sub(mi.mul(stepSize).div(denom)).intoMemorySegment(param, off, NATIVE);
            }
            for (; i < to; i++) {
                float w = param.getAtIndex(F, i);
                float g = grad.getAtIndex(F, i);
                if (decoupled) w *= decay;
                else g = Math.fma(w, wd, g);
                float mi = b1 * m.getAtIndex(F, i) + g * c1;
                float vi = b2 * v.getAtIndex(F, i) + g * g * c2;
                m.setAtIndex(F, i, mi);
                v.setAtIndex(F, i, vi);
                float denom = (float) Math.sqrt(vi) * invSqrtBc2 + eps;
                param.setAtIndex(F, i, w - mi * stepSize / denom);
            }
        });
    }

    void sgd(MemorySegment param, MemorySegment grad, MemorySegment velocity, int n, float lr, float momentum,
             float weightDecay, boolean nesterov) {
        forBlocks(n, (from, to) -> {
            int i = from;
            for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
                long off = 4L * i;
                FloatVector w = FloatVector.fromMemorySegment(FS, param, off, NATIVE);
                FloatVector g = w.fma(FloatVector.broadcast(FS, weightDecay), FloatVector.fromMemorySegment(FS, grad, off, NATIVE));
                FloatVector vel = FloatVector.fromMemorySegment(FS, velocity, off, NATIVE).fma(FloatVector.broadcast(FS, momentum), g);
                vel.intoMemorySegment(velocity, off, NATIVE);
                FloatVector step = nesterov ? vel.fma(FloatVector.broadcast(FS, momentum), g) : vel;
                step.fma(FloatVector.broadcast(FS, -lr), w).intoMemorySegment(param, off, NATIVE);
            }
            for (; i < to; i++) {
                float w = param.getAtIndex(F, i);
                float g = Math.fma(w, weightDecay, grad.getAtIndex(F, i));
                float vel = Math.fma(velocity.getAtIndex(F, i), momentum, g);
                velocity.setAtIndex(F, i, vel);
                param.setAtIndex(F, i, Math.fma(nesterov ? Math.fma(vel, momentum, g) : vel, -lr, w));
            }
        });
    }
}
