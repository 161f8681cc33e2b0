package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Batch normalisation over [N, C, S] data (S = 1 for BatchNorm1d, H*W for BatchNorm2d), parallel over channels;
 * each channel's statistics are accumulated in double in a fixed order.
 */
final class CpuBatchNorm {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final WorkerPool pool;

    CpuBatchNorm(WorkerPool pool) {
        this.pool = pool;
    }

    void forward(MemorySegment x, MemorySegment y, int n, int c, int s, MemorySegment gamma, MemorySegment beta,
                 MemorySegment runMean, MemorySegment runVar, MemorySegment saveMean, MemorySegment saveInvStd,
                 boolean training, float momentum, float eps) {
        long count = (long) n * s;
        pool.parallelFor(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float mean, invStd;
                if (training) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        long base = ((long) i * c + ch) * s;
                        for (int j = 0; j < s; j++) sum += x.getAtIndex(F, base + j);
                    }
                    double m = sum / count;
                    double sq = 0;
                    for (int i = 0; i < n; i++) {
                        long base = ((long) i * c + ch) * s;
                        for (int j = 0; j < s; j++) {
                            double d = x.getAtIndex(F, base + j) - m;
                            sq += d * d;
                        }
                    }
                    double var = sq / count;
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    mean = (float) m;
                    invStd = (float) (1.0 / Math.sqrt(var + eps));
                    saveMean.setAtIndex(F, ch, mean);
                    saveInvStd.setAtIndex(F, ch, invStd);
                    runMean.setAtIndex(F, ch, (float) ((1 - momentum) * runMean.getAtIndex(F, ch) + momentum * m));
                    runVar.setAtIndex(F, ch, (float) ((1 - momentum) * runVar.getAtIndex(F, ch) + momentum * unbiased));
                } else {
                    mean = runMean.getAtIndex(F, ch);
                    invStd = (float) (1.0 / Math.sqrt(runVar.getAtIndex(F, ch) + (double) eps));
                }
                float scale = gamma.getAtIndex(F, ch) * invStd;
                float shift = beta.getAtIndex(F, ch) - mean * scale;
                for (int i = 0; i < n; i++) {
                    long base = ((long) i * c + ch) * s;
                    for (int j = 0; j < s; j++) y.setAtIndex(F, base + j, x.getAtIndex(F, base + j) * scale + shift);
                }
            }
        });
    }

    void backward(MemorySegment x, MemorySegment dy, int n, int c, int s, MemorySegment gamma, MemorySegment saveMean,
                  MemorySegment saveInvStd, MemorySegment dx, MemorySegment dGamma, MemorySegment dBeta) {
        long count = (long) n * s;
        pool.parallelFor(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float mean = saveMean.getAtIndex(F, ch), invStd = saveInvStd.getAtIndex(F, ch);
                double sumDy = 0, sumDyXhat = 0;
                for (int i = 0; i < n; i++) {
                    long base = ((long) i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        double g = dy.getAtIndex(F, base + j);
                        sumDy += g;
                        sumDyXhat += g * ((x.getAtIndex(F, base + j) - mean) * invStd);
                    }
                }
                dGamma.setAtIndex(F, ch, (float) sumDyXhat);
                dBeta.setAtIndex(F, ch, (float) sumDy);
                if (dx == null) continue;
                // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
                float k = gamma.getAtIndex(F, ch) * invStd;
                float meanDy = (float) (sumDy / count), meanDyXhat = (float) (sumDyXhat / count);
                for (int i = 0; i < n; i++) {
                    long base = ((long) i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        float xhat = (x.getAtIndex(F, base + j) - mean) * invStd;
                        dx.setAtIndex(F, base + j, k * (dy.getAtIndex(F, base + j) - meanDy - xhat * meanDyXhat));
                    }
                }
            }
        });
    }
}
