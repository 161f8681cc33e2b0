package org.edgeq.backend.cpu;

import org.edgeq.backend.AdamConfig;
import org.edgeq.backend.Philox;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element-wise kernels, reductions, dropout and optimiser updates over float segments, split into fixed-size
 * blocks so that results (reductions included) do not depend on the number of threads or their timing.
 */
final class CpuElementwise {
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Elements per parallel block; fixed so that reduction order is the same for any thread count. */
    static final int BLOCK = 1 << 14;

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
            for (int i = from; i < to; i++) x.setAtIndex(F, i, value);
        });
    }

    void copy(MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> MemorySegment.copy(x, (long) from * 4, y, (long) from * 4, (long) (to - from) * 4));
    }

    void axpy(float alpha, MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) y.setAtIndex(F, i, y.getAtIndex(F, i) + alpha * x.getAtIndex(F, i));
        });
    }

    void scale(MemorySegment x, int n, float alpha) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) x.setAtIndex(F, i, x.getAtIndex(F, i) * alpha);
        });
    }

    void addRowVector(MemorySegment x, int rows, int cols, MemorySegment bias) {
        pool.parallelFor(rows, Math.max(1, BLOCK / Math.max(1, cols)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long base = (long) r * cols;
                for (int j = 0; j < cols; j++) x.setAtIndex(F, base + j, x.getAtIndex(F, base + j) + bias.getAtIndex(F, j));
            }
        });
    }

    void sumRows(MemorySegment x, int rows, int cols, MemorySegment out, float beta) {
        pool.parallelFor(cols, 64, (c0, c1) -> {
            for (int j = c0; j < c1; j++) {
                double acc = 0;
                for (int r = 0; r < rows; r++) acc += x.getAtIndex(F, (long) r * cols + j);
                float old = beta == 0f ? 0f : beta * out.getAtIndex(F, j);
                out.setAtIndex(F, j, (float) (old + acc));
            }
        });
    }

    void relu(MemorySegment x, MemorySegment y, int n) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) y.setAtIndex(F, i, Math.max(x.getAtIndex(F, i), 0f));
        });
    }

    void reluBackward(MemorySegment y, MemorySegment dy, MemorySegment dx, int n) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) dx.setAtIndex(F, i, y.getAtIndex(F, i) > 0f ? dy.getAtIndex(F, i) : 0f);
        });
    }

    double sum(MemorySegment x, int n) {
        return reduceBlocks(n, (from, to) -> {
            double acc = 0;
            for (int i = from; i < to; i++) acc += x.getAtIndex(F, i);
            return acc;
        });
    }

    double sumOfSquares(MemorySegment x, int n) {
        return reduceBlocks(n, (from, to) -> {
            double acc = 0;
            for (int i = from; i < to; i++) {
                double v = x.getAtIndex(F, i);
                acc += v * v;
            }
            return acc;
        });
    }

    boolean allFinite(MemorySegment x, int n) {
        double bad = reduceBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) if (!Float.isFinite(x.getAtIndex(F, i))) return 1;
            return 0;
        });
        return bad == 0;
    }

    void dropout(MemorySegment x, MemorySegment y, MemorySegment mask, int n, float p, long seed, long offset) {
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        forBlocks(n, (from, to) -> {
            float[] u = new float[to - from];
            Philox.uniforms(seed, offset + from, u, to - from);
            for (int i = from; i < to; i++) {
                float m = u[i - from] < p ? 0f : keep;
                mask.setAtIndex(F, i, m);
                y.setAtIndex(F, i, x.getAtIndex(F, i) * m);
            }
        });
    }

    void multiply(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) out.setAtIndex(F, i, a.getAtIndex(F, i) * b.getAtIndex(F, i));
        });
    }

    void adam(MemorySegment param, MemorySegment grad, MemorySegment m, MemorySegment v, int n, AdamConfig c, int step) {
        float b1 = c.beta1(), b2 = c.beta2(), lr = c.learningRate(), eps = c.epsilon(), wd = c.weightDecay();
        boolean decoupled = c.decoupledWeightDecay();
        float stepSize = (float) (lr / (1.0 - Math.pow(b1, step)));
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(1.0 - Math.pow(b2, step)));
        float decay = 1f - lr * wd;
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float w = param.getAtIndex(F, i);
                float g = grad.getAtIndex(F, i);
                if (decoupled) w *= decay;
                else g += wd * w;
                float mi = b1 * m.getAtIndex(F, i) + (1f - b1) * g;
                float vi = b2 * v.getAtIndex(F, i) + (1f - b2) * g * g;
                m.setAtIndex(F, i, mi);
                v.setAtIndex(F, i, vi);
                float denom = (float) Math.sqrt(vi) * invSqrtBc2 + eps;
                param.setAtIndex(F, i, w - stepSize * mi / denom);
            }
        });
    }

    void sgd(MemorySegment param, MemorySegment grad, MemorySegment velocity, int n, float lr, float momentum,
             float weightDecay, boolean nesterov) {
        forBlocks(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float w = param.getAtIndex(F, i);
                float g = grad.getAtIndex(F, i) + weightDecay * w;
                float vel = momentum * velocity.getAtIndex(F, i) + g;
                velocity.setAtIndex(F, i, vel);
                param.setAtIndex(F, i, w - lr * (nesterov ? g + momentum * vel : vel));
            }
        });
    }
}
