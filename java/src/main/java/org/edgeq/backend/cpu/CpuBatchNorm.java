package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Batch normalisation over [N, C, S] data (S = 1 for BatchNorm1d, H*W for BatchNorm2d), parallel over channels;
 * each channel's statistics are accumulated in double in a fixed order. Rows of S floats use vector kernels; with
 * S = 1 each channel is a strided column and plain scalar loops avoid per-element vector set-up.
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
                    for (int i = 0; i < n; i++) sum += s == 1 ? x.getAtIndex(F, (long) i * c + ch) : CpuElementwise.sumDouble(x, ((long) i * c + ch) * s, s);
                    double m = sum / count;
                    double sq = 0;
                    for (int i = 0; i < n; i++) sq += s == 1 ? square(x.getAtIndex(F, (long) i * c + ch) - m)
                                : CpuElementwise.sumSquaredDeviations(x, ((long) i * c + ch) * s, s, m);
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
                if (s == 1) {
                    for (int i = 0; i < n; i++) {
                        long idx = (long) i * c + ch;
                        y.setAtIndex(F, idx, Math.fma(x.getAtIndex(F, idx), scale, shift));
                    }
                } else {
                    for (int i = 0; i < n; i++) CpuElementwise.affine(x, y, ((long) i * c + ch) * s, s, scale, shift);
                }
            }
        });
    }

    private static double square(double v) {
        return v * v;
    }

    void backward(MemorySegment x, MemorySegment dy, int n, int c, int s, MemorySegment gamma, MemorySegment saveMean,
                  MemorySegment saveInvStd, MemorySegment dx, MemorySegment dGamma, MemorySegment dBeta) {
        long count = (long) n * s;
        pool.parallelFor(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float mean = saveMean.getAtIndex(F, ch), invStd = saveInvStd.getAtIndex(F, ch);
                double sumDy = 0, sumDyCentered = 0;
                for (int i = 0; i < n; i++) {
                    long base = ((long) i * c + ch) * s;
                    if (s == 1) {
                        double g = dy.getAtIndex(F, base);
                        sumDy += g;
                        sumDyCentered += (x.getAtIndex(F, base) - (double) mean) * g;
                    } else {
                        sumDy += CpuElementwise.sumDouble(dy, base, s);
                        sumDyCentered += CpuElementwise.sumCenteredProducts(dy, x, base, s, mean);
                    }
                }
                double sumDyXhat = sumDyCentered * invStd;
                dGamma.setAtIndex(F, ch, (float) sumDyXhat);
                dBeta.setAtIndex(F, ch, (float) sumDy);
                if (dx == null) continue;
                // dx = k * (dy - mean(dy) - xhat * mean(dy * xhat)) with k = gamma * invStd and
                // xhat = (x - mean) * invStd, expanded to dy * a + x * b + c.
                double k = (double) gamma.getAtIndex(F, ch) * invStd;
                double meanDy = sumDy / count, meanDyXhat = sumDyXhat / count;
                double b = -k * invStd * meanDyXhat;
                double shift = -k * meanDy - b * mean;
                float fa = (float) k, fb = (float) b, fc = (float) shift;
                for (int i = 0; i < n; i++) {
                    long base = ((long) i * c + ch) * s;
                    if (s == 1) {
                        dx.setAtIndex(F, base, Math.fma(dy.getAtIndex(F, base), fa, Math.fma(x.getAtIndex(F, base), fb, fc)));
                    } else {
                        CpuElementwise.affine2(dy, x, dx, base, s, fa, fb, fc);
                    }
                }
            }
        });
    }
}
