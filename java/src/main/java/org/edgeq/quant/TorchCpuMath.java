package org.edgeq.quant;

import java.util.Arrays;
import java.util.List;

/**
 * The float32 arithmetic of PyTorch 1.13's CPU kernels (AVX2 build, one thread) that the seed's quantizers depend
 * on, reproduced operation for operation so that EdgeQ's seed methods give the seed's bits: {@code torch.linspace},
 * {@code torch.sum}/{@code torch.mean} (cascade summation), {@code torch.std} (unbiased) and {@code torch.norm(x, 2)}.
 *
 * <p>Each rule was derived from the kernel's structure and checked against torch 1.13 on thousands of random inputs
 * (see java/src/test/python/seed_golden_quant.py and the golden tests): where the compiled kernel fuses a multiply
 * and an add (GCC contracts them in the AVX2 build), so does this class, with {@link Math#fma}.
 */
final class TorchCpuMath {
    /** Float lanes of an AVX2 vector, the width torch 1.13 dispatches to on x86-64. */
    private static final int LANES = 8;

    private TorchCpuMath() {
    }

    /**
     * {@code torch.linspace(start, end, steps)} in float32: start and end rounded to float, step = (end − start) /
     * (steps − 1) in float; the first half counts up from start and the second half down from end, each vector of 8
     * from a fused base (start + step·i or end − step·(steps − i − 1)) plus j·step for its lanes, the last steps % 16
     * points one by one with fused arithmetic.
     */
    static float[] linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace needs steps >= 0, got " + steps);
        float[] out = new float[steps];
        float s = (float) start;
        float e = (float) end;
        if (steps == 0) return out;
        if (steps == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (float) (steps - 1);
        int half = steps / 2;
        int i = 0;
        for (; i <= steps - 2 * LANES; i += 2 * LANES) {
            for (int b = i; b < i + 2 * LANES; b += LANES) {
                float base = linspacePoint(s, e, step, b, steps, half);
                out[b] = base;
                for (int j = 1; j < LANES; j++) out[b + j] = base + j * step;
            }
        }
        for (; i < steps; i++) out[i] = linspacePoint(s, e, step, i, steps, half);
        return out;
    }

    private static float linspacePoint(float s, float e, float step, int i, int steps, int half) {
        return i < half ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
    }

    /**
     * {@code torch.sum} of a contiguous float32 tensor: float accumulation, 8 lanes wide when there are at least 8
     * values, four interleaved rows and four cascade levels (ATen's cascade_sum), then the tail and the lanes in order.
     */
    static float sum(float[] x) {
        int n = x.length;
        if (n >= LANES) {
            int vectors = n / LANES;
            float[] lanes = rowSum(x, vectors, LANES);
            float acc = 0f;
            for (int k = vectors * LANES; k < n; k++) acc += x[k];
            for (int k = 0; k < LANES; k++) acc += lanes[k];
            return 0f + acc;
        }
        return 0f + rowSum(x, n, 1)[0];
    }

    /** {@code torch.mean}: {@link #sum} divided by the element count in float. */
    static float mean(float[] x) {
        if (x.length == 0) throw new IllegalArgumentException("mean of no values");
        return sum(x) / (float) x.length;
    }

    /**
     * {@code torch.std(x)} (unbiased, over all elements): the float mean, then Σ (x − mean)² in double in order,
     * divided by n − 1, square root, rounded to float. One value gives NaN (0 / 0), as torch.
     */
    static float std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            double d = v - m;
            s += d * d;
        }
        return (float) Math.sqrt(s / Math.max(0, x.length - 1));
    }

    /**
     * {@code torch.norm(x, p=2)} of a contiguous float32 vector given element by element ({@link Norm2}): 8 fused
     * lane accumulators over the whole vectors, the lanes summed in order, then the remaining values, the first
     * multiple of 4 of them with a separate multiply and add (GCC's in-order vectorised loop) and the rest fused.
     */
    static final class Norm2 {
        private final int n;
        private final int lanesEnd;
        private final int plainEnd;
        private final float[] lanes = new float[LANES];
        private float acc;
        private int i;

        Norm2(int n) {
            this.n = n;
            this.lanesEnd = n - n % LANES;
            this.plainEnd = lanesEnd + (n - lanesEnd) / 4 * 4;
        }

        /** Adds the next value (call exactly n times, in order). */
        void add(float v) {
            if (i < lanesEnd) {
                int lane = i % LANES;
                lanes[lane] = Math.fma(v, v, lanes[lane]);
                if (i == lanesEnd - 1) foldLanes();
            } else if (i < plainEnd) {
                acc = acc + v * v;
            } else {
                acc = Math.fma(v, v, acc);
            }
            i++;
        }

        private void foldLanes() {
            float a = lanes[0];
            for (int j = 1; j < LANES; j++) a = a + lanes[j];
            acc = a;
        }

        float result() {
            if (i != n) throw new IllegalStateException("norm of " + n + " values got " + i);
            return (float) Math.sqrt(acc);
        }
    }

    /**
     * {@code torch.sum(torch.stack(terms), dim=0)} for m equal-length float32 terms of n elements: each element sums
     * its m values, the order depending on where ATen's cascade_sum puts the element's column. A single column is a
     * plain {@link #sum}. Columns reduced in blocks (the first floor(n/32)·32 when n ≥ 8, else the first
     * floor(n/4)·4) add the terms in order; the others use row_sum's order: four interleaved partial sums (t0 + t4 +
     * …, t1 + t5 + …), the leftover terms onto the first, then the four added in order. The sum lands on the
     * zero-filled output.
     */
    static float[] sumStack(List<float[]> terms) {
        int m = terms.size();
        int n = m == 0 ? 0 : terms.getFirst().length;
        float[] out = new float[n];
        float[] column = new float[m];
        if (n == 1) {
            for (int t = 0; t < m; t++) column[t] = terms.get(t)[0];
            out[0] = sum(column);
            return out;
        }
        int inOrder = n >= LANES ? n / (4 * LANES) * (4 * LANES) : n / 4 * 4;
        for (int j = 0; j < n; j++) {
            for (int t = 0; t < m; t++) column[t] = terms.get(t)[j];
            out[j] = 0f + (j < inOrder ? cascade(column, 0, 1, m) : interleaved(column, m));
        }
        return out;
    }

    /** row_sum of one column of scalars: four interleaved cascades, the leftover items onto the first, then added in order. */
    private static float interleaved(float[] x, int size) {
        int rows = size / 4;
        float p0 = cascade(x, 0, 4, rows);
        for (int item = rows * 4; item < size; item++) p0 += x[item];
        for (int k = 1; k < 4; k++) p0 += cascade(x, k, 4, rows);
        return p0;
    }

    /** multi_row_sum of one column: x[start], x[start + step], … ({@code size} of them) through the four cascade levels. */
    private static float cascade(float[] x, int start, int step, int size) {
        final int levels = 4;
        int levelPower = Math.max(4, ceilLog2(size) / levels);
        int levelStep = 1 << levelPower;
        long levelMask = levelStep - 1L;
        float[] acc = new float[levels];
        int i = 0;
        while (i + levelStep <= size) {
            for (int j = 0; j < levelStep; j++, i++) acc[0] += x[start + i * step];
            for (int j = 1; j < levels; j++) {
                acc[j] += acc[j - 1];
                acc[j - 1] = 0f;
                if ((i & (levelMask << (j * levelPower))) != 0) break;
            }
        }
        for (; i < size; i++) acc[0] += x[start + i * step];
        for (int j = 1; j < levels; j++) acc[0] += acc[j];
        return acc[0];
    }

    /**
     * ATen's row_sum: {@code size} items of {@code width} lanes (item i, lane l at x[i·width + l]) as rows of four
     * interleaved items summed by {@link #multiRowSum}, the items left over added to the first partial sum, then the
     * four partial sums added in order.
     */
    private static float[] rowSum(float[] x, int size, int width) {
        int rows = size / 4;
        float[] partial = multiRowSum(x, rows, 4 * width);
        for (int item = rows * 4; item < size; item++) {
            for (int l = 0; l < width; l++) partial[l] += x[item * width + l];
        }
        for (int k = 1; k < 4; k++) {
            for (int l = 0; l < width; l++) partial[l] += partial[k * width + l];
        }
        return Arrays.copyOf(partial, width);
    }

    /**
     * ATen's multi_row_sum: {@code size} rows of {@code width} values (row r at x[r·width ..]) added row by row into
     * the first of four accumulator levels, each level cascading into the next every 2^levelPower rows, the levels
     * added together at the end.
     */
    private static float[] multiRowSum(float[] x, int size, int width) {
        final int levels = 4;
        int levelPower = Math.max(4, ceilLog2(size) / levels);
        int levelStep = 1 << levelPower;
        long levelMask = levelStep - 1L;
        float[][] acc = new float[levels][width];
        int i = 0;
        while (i + levelStep <= size) {
            for (int j = 0; j < levelStep; j++, i++) addRow(acc[0], x, i, width);
            for (int j = 1; j < levels; j++) {
                for (int c = 0; c < width; c++) {
                    acc[j][c] += acc[j - 1][c];
                    acc[j - 1][c] = 0f;
                }
                if ((i & (levelMask << (j * levelPower))) != 0) break;
            }
        }
        for (; i < size; i++) addRow(acc[0], x, i, width);
        for (int j = 1; j < levels; j++) {
            for (int c = 0; c < width; c++) acc[0][c] += acc[j][c];
        }
        return acc[0];
    }

    private static void addRow(float[] acc, float[] x, int row, int width) {
        for (int c = 0; c < width; c++) acc[c] += x[row * width + c];
    }

    /** c10's CeilLog2: 1 for x ≤ 2, else the bit length of x − 1. */
    private static int ceilLog2(long x) {
        if (x <= 2) return 1;
        return 64 - Long.numberOfLeadingZeros(x - 1);
    }
}
