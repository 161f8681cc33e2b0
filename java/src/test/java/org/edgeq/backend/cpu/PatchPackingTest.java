package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import org.edgeq.backend.ConvGeometry;
import org.junit.jupiter.api.Test;

/** Panels packed straight from the image hold what packing the stored im2col matrix gives. */
class PatchPackingTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Test
    void implicitPanelsEqualPanelsOfTheIm2colMatrixForEveryGeometry() {
        ConvGeometry[] geometries = {
            new ConvGeometry(2, 3, 32, 32, 8, 3, 1, 1),   // the seed CNN's first layer
            new ConvGeometry(2, 4, 8, 8, 8, 3, 1, 1),     // positions span several output rows per panel
            new ConvGeometry(2, 2, 9, 7, 4, 3, 2, 1),     // stride 2, odd sizes
            new ConvGeometry(1, 3, 6, 11, 4, 5, 1, 2),    // 5x5 same-size
            new ConvGeometry(1, 2, 7, 7, 4, 3, 1, 0),     // no padding
            new ConvGeometry(1, 5, 5, 5, 4, 1, 1, 0),     // pointwise
            new ConvGeometry(1, 2, 4, 4, 4, 3, 2, 2)};    // more padding than half the kernel
        SplittableRandom rnd = new SplittableRandom(3);
        for (ConvGeometry g : geometries) {
            int k = g.patchSize(), p = g.outHeight() * g.outWidth();
            long xSample = (long) g.inChannels() * g.height() * g.width();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = arena.allocate(4 * xSample * g.batch() + 64);
                for (long i = 0; i < xSample * g.batch(); i++) x.setAtIndex(F, i, (float) rnd.nextDouble(-1, 1));
                MemorySegment col = arena.allocate(4L * k * p);
                long sample = (g.batch() - 1) * xSample;
                CpuConvolution.im2col(x, sample, g, col, 0, p);
                // Whole matrix, then a ragged block in the middle.
                int[][] blocks = {{0, k, 0, p}, {Math.min(1, k - 1), Math.max(1, k - 2), Math.min(3, p - 1), Math.max(1, p - 5)}};
                for (int[] b : blocks) {
                    int size = GemmBlocked.roundUp(b[3], GemmMicroKernel.NR) * b[1] + 7 + PatchPacking.SLACK;
                    float[] expected = new float[size], got = new float[size];
                    java.util.Arrays.fill(expected, 42f);
                    java.util.Arrays.fill(got, 42f);
                    GemmPacking.packB(false, col, 0, p, b[0], b[1], b[2], b[3], expected, 7);
                    PatchPacking.packB(x, sample, g, b[0], b[1], b[2], b[3], got, 7);
                    // Everything up to the end of the panels; the slack after them is scratch.
                    int end = size - PatchPacking.SLACK;
                    assertArrayEquals(java.util.Arrays.copyOf(expected, end), java.util.Arrays.copyOf(got, end),
                            g + " block " + java.util.Arrays.toString(b));
                }
            }
        }
    }

    @Test
    void implicitAPanelsOfSamplesSideBySideEqualPanelsOfTheirStoredIm2colMatrices() {
        ConvGeometry[] geometries = {
            new ConvGeometry(3, 3, 8, 8, 8, 3, 1, 1), new ConvGeometry(4, 2, 5, 7, 4, 3, 2, 1), new ConvGeometry(2, 5, 4, 4, 4, 1, 1, 0)};
        SplittableRandom rnd = new SplittableRandom(5);
        for (ConvGeometry g : geometries) {
            int k = g.patchSize(), p = g.outHeight() * g.outWidth(), n = g.batch();
            long xSample = (long) g.inChannels() * g.height() * g.width();
            int width = (n - 1) * p; // samples 1 .. n-1 side by side
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = arena.allocate(4 * xSample * n);
                for (long i = 0; i < xSample * n; i++) x.setAtIndex(F, i, (float) rnd.nextDouble(-1, 1));
                MemorySegment col = arena.allocate(4L * k * width);
                for (int s = 1; s < n; s++) CpuConvolution.im2col(x, s * xSample, g, col, (long) (s - 1) * p, width);
                // Whole matrix, and a ragged block whose columns start inside one sample and end inside another.
                int[][] blocks = {{0, k, 0, width}, {1, Math.max(1, k - 1), p / 2 + 1, Math.max(1, width - p)}};
                for (int[] b : blocks) {
                    int size = GemmBlocked.roundUp(b[1], GemmMicroKernel.MR) * b[3] + GemmPacking.A_SLACK;
                    float[] expected = new float[size], got = new float[size];
                    GemmPacking.packA(false, col, 0, width, b[0], b[1], b[2], b[3], expected);
                    PatchPacking.packA(x, xSample, xSample, g, b[0], b[1], b[2], b[3], got);
                    assertArrayEquals(expected, got, g + " block " + java.util.Arrays.toString(b));
                }
            }
        }
    }
}
