package org.edgeq.backend.cpu;

import org.edgeq.backend.PoolGeometry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Max pooling with recorded argmax, parallel over (sample, channel) planes, which never share an input element. */
final class CpuPooling {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    private final WorkerPool pool;

    CpuPooling(WorkerPool pool) {
        this.pool = pool;
    }

    void maxPool(MemorySegment x, MemorySegment y, MemorySegment argmax, PoolGeometry g) {
        int h = g.height(), w = g.width(), oh = g.outHeight(), ow = g.outWidth(), win = g.window(), st = g.stride();
        int planes = g.batch() * g.channels();
        pool.parallelFor(planes, 4, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                long in = (long) plane * h * w;
                long out = (long) plane * oh * ow;
                if (win == 2 && st == 2) {
                    maxPool2x2(x, y, argmax, in, out, w, oh, ow);
                    continue;
                }
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        long best = in + (long) oy * st * w + (long) ox * st;
                        float max = x.getAtIndex(F, best);
                        for (int ky = 0; ky < win; ky++) {
                            long rowStart = in + (long) (oy * st + ky) * w + (long) ox * st;
                            for (int kx = 0; kx < win; kx++) {
                                float v = x.getAtIndex(F, rowStart + kx);
                                // NaN propagates like PyTorch: a NaN in the window wins.
                                if (v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                                    max = v;
                                    best = rowStart + kx;
                                }
                            }
                        }
                        long o = out + (long) oy * ow + ox;
                        y.setAtIndex(F, o, max);
                        argmax.setAtIndex(I, o, (int) best);
                    }
                }
            }
        });
    }

    /**
     * The common 2x2 stride-2 window. Random data makes "which element is largest" unpredictable, so instead of
     * branching the maximum comes from Math.max and the index from a bit mask of the elements equal to it (the
     * first one wins, as in the general loop); a window holding NaN takes the general loop's path.
     */
    private static void maxPool2x2(MemorySegment x, MemorySegment y, MemorySegment argmax, long in, long out,
                                   int w, int oh, int ow) {
        for (int oy = 0; oy < oh; oy++) {
            long r0 = in + (long) 2 * oy * w;
            long o = out + (long) oy * ow;
            for (int ox = 0; ox < ow; ox++, r0 += 2, o++) {
                float a = x.getAtIndex(F, r0), b = x.getAtIndex(F, r0 + 1);
                float c = x.getAtIndex(F, r0 + w), d = x.getAtIndex(F, r0 + w + 1);
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                long best;
                if (m == m) {
                    int equal = (a == m ? 1 : 0) | (b == m ? 2 : 0) | (c == m ? 4 : 0) | 8;
                    int sel = Integer.numberOfTrailingZeros(equal);
                    best = r0 + (sel & 1) + (long) (sel >> 1) * w;
                } else {
                    best = a != a ? r0 : b != b ? r0 + 1 : c != c ? r0 + w : r0 + w + 1;
                }
                y.setAtIndex(F, o, m);
                argmax.setAtIndex(I, o, (int) best);
            }
        }
    }

    void maxPoolBackward(MemorySegment dy, MemorySegment argmax, MemorySegment dx, PoolGeometry g) {
        int hw = g.height() * g.width(), ohw = g.outHeight() * g.outWidth();
        int planes = g.batch() * g.channels();
        pool.parallelFor(planes, 4, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                long in = (long) plane * hw;
                for (int i = 0; i < hw; i++) dx.setAtIndex(F, in + i, 0f);
                long out = (long) plane * ohw;
                for (int i = 0; i < ohw; i++) {
                    int src = argmax.getAtIndex(I, out + i);
                    if (src < in || src >= in + hw) {
                        throw new IllegalArgumentException("maxPool2dBackward: argmax[" + (out + i) + "] = " + src
                                + " lies outside its input plane [" + in + ", " + (in + hw) + ")");
                    }
                    dx.setAtIndex(F, src, dx.getAtIndex(F, src) + dy.getAtIndex(F, out + i));
                }
            }
        });
    }
}
