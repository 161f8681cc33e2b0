package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Softmax cross-entropy, row argmax and mean squared error; per-row results are combined in row order. */
final class CpuLosses {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    private final WorkerPool pool;
    private final CpuElementwise elementwise;

    CpuLosses(WorkerPool pool, CpuElementwise elementwise) {
        this.pool = pool;
        this.elementwise = elementwise;
    }

    double softmaxCrossEntropy(MemorySegment logits, MemorySegment labels, MemorySegment dLogits, int n, int k) {
        for (int r = 0; r < n; r++) {
            int label = labels.getAtIndex(I, r);
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("softmaxCrossEntropy: labels[" + r + "] = " + label + " outside 0.." + (k - 1));
            }
        }
        double[] rowLoss = new double[n];
        float invN = 1f / Math.max(1, n);
        pool.parallelFor(n, Math.max(1, 4096 / Math.max(1, k)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long base = (long) r * k;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) max = Math.max(max, logits.getAtIndex(F, base + j));
                double sumExp = 0;
                for (int j = 0; j < k; j++) sumExp += StrictMath.exp(logits.getAtIndex(F, base + j) - max);
                int label = labels.getAtIndex(I, r);
                double logSum = StrictMath.log(sumExp);
                rowLoss[r] = logSum - (logits.getAtIndex(F, base + label) - max);
                if (dLogits != null) {
                    for (int j = 0; j < k; j++) {
                        double prob = StrictMath.exp(logits.getAtIndex(F, base + j) - max - logSum);
                        dLogits.setAtIndex(F, base + j, (float) ((prob - (j == label ? 1 : 0)) * invN));
                    }
                }
            }
        });
        double total = 0;
        for (double l : rowLoss) total += l;
        return n == 0 ? 0 : total / n;
    }

    double softTargetKlDivergence(MemorySegment logits, MemorySegment teacher, MemorySegment dLogits, int n, int k,
                                  float temperature) {
        if (n == 0) return 0;
        double[] rowLoss = new double[n];
        double invT = 1.0 / temperature;
        double gradScale = 1.0 / ((double) temperature * n);
        pool.parallelFor(n, Math.max(1, 4096 / Math.max(1, k)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long base = (long) r * k;
                double maxS = Double.NEGATIVE_INFINITY, maxT = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    maxS = Math.max(maxS, logits.getAtIndex(F, base + j) * invT);
                    maxT = Math.max(maxT, teacher.getAtIndex(F, base + j) * invT);
                }
                double sumS = 0, sumT = 0;
                for (int j = 0; j < k; j++) {
                    sumS += StrictMath.exp(logits.getAtIndex(F, base + j) * invT - maxS);
                    sumT += StrictMath.exp(teacher.getAtIndex(F, base + j) * invT - maxT);
                }
                double logZs = maxS + StrictMath.log(sumS), logZt = maxT + StrictMath.log(sumT);
                double kl = 0;
                for (int j = 0; j < k; j++) {
                    double logQ = logits.getAtIndex(F, base + j) * invT - logZs;
                    double logP = teacher.getAtIndex(F, base + j) * invT - logZt;
                    double p = StrictMath.exp(logP);
                    if (p > 0) kl += p * (logP - logQ);
                    if (dLogits != null) dLogits.setAtIndex(F, base + j, (float) ((StrictMath.exp(logQ) - p) * gradScale));
                }
                rowLoss[r] = kl;
            }
        });
        double total = 0;
        for (double l : rowLoss) total += l;
        return total / n;
    }

    void argmaxRows(MemorySegment x, MemorySegment out, int n, int k) {
        pool.parallelFor(n, Math.max(1, 4096 / Math.max(1, k)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long base = (long) r * k;
                int best = 0;
                float max = x.getAtIndex(F, base);
                for (int j = 1; j < k; j++) {
                    float v = x.getAtIndex(F, base + j);
                    if (v > max) {
                        max = v;
                        best = j;
                    }
                }
                out.setAtIndex(I, r, best);
            }
        });
    }

    double meanSquaredError(MemorySegment pred, MemorySegment target, MemorySegment dPred, int n) {
        if (n == 0) return 0;
        float scale = 2f / n;
        double sq = elementwise.reduceBlocks(n, (from, to) -> {
            double acc = 0;
            for (int i = from; i < to; i++) {
                float d = pred.getAtIndex(F, i) - target.getAtIndex(F, i);
                acc += (double) d * d;
                if (dPred != null) dPred.setAtIndex(F, i, scale * d);
            }
            return acc;
        });
        return sq / n;
    }
}
