package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.edgeq.backend.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(2x2, 3x3) by hand-worked examples and its algebra; agreement with naive loops on many geometries, and
 * bit-identity across thread counts, are in the backend conformance suites.
 */
class WinogradConvolutionTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Test
    void takesThreeByThreeSameConvolutionsOnEvenPlanesWithSixteenOrMoreChannels() {
        assertTrue(WinogradConvolution.applies(new ConvGeometry(256, 128, 16, 16, 128, 3, 1, 1)), "seed CNN layer");
        assertTrue(WinogradConvolution.applies(new ConvGeometry(64, 16, 14, 14, 32, 3, 1, 1)), "cnn-small layer");
        assertFalse(WinogradConvolution.applies(new ConvGeometry(256, 3, 32, 32, 32, 3, 1, 1)), "3 input channels");
        assertFalse(WinogradConvolution.applies(new ConvGeometry(1, 16, 7, 8, 16, 3, 1, 1)), "odd height");
        assertFalse(WinogradConvolution.applies(new ConvGeometry(1, 16, 8, 8, 16, 3, 2, 1)), "stride 2");
        assertFalse(WinogradConvolution.applies(new ConvGeometry(1, 16, 8, 8, 16, 5, 1, 2)), "5x5 kernel");
        assertFalse(WinogradConvolution.applies(new ConvGeometry(1, 16, 8, 8, 16, 3, 1, 0)), "no padding");
    }

    @Test
    void allOnesKernelTransformsToTheOuterProductOfGsRowSums() {
        // G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1] has row sums r = (1, 1.5, 0.5, 1), so G 1 G^T = r r^T.
        float[] u = new float[16];
        WinogradConvolution.kernelTransform(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1}, new float[12], u, 0, 1);
        float[] r = {1, 1.5f, 0.5f, 1};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) assertEquals(r[i] * r[j], u[4 * i + j], 0f, "U[" + i + "][" + j + "]");
        }
    }

    @Test
    void kernelGradientIsTheAdjointOfTheKernelTransform() {
        // <G g G^T, u> = <g, G^T u G> for any 3x3 g and 4x4 u: the weight gradient maps dU back exactly.
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            float[] g = new float[9], u = new float[16], transformed = new float[16];
            for (int i = 0; i < 9; i++) g[i] = (float) random.nextDouble(-1, 1);
            for (int i = 0; i < 16; i++) u[i] = (float) random.nextDouble(-1, 1);
            WinogradConvolution.kernelTransform(g, new float[12], transformed, 0, 1);
            MemorySegment back = MemorySegment.ofArray(new float[9]);
            WinogradConvolution.kernelGradient(u, new float[12], back, 0);
            double left = 0, right = 0;
            for (int i = 0; i < 16; i++) left += (double) transformed[i] * u[i];
            for (int i = 0; i < 9; i++) right += (double) g[i] * back.getAtIndex(F, i);
            assertEquals(left, right, 1e-5, "trial " + trial);
        }
    }

    @Test
    void handWorkedTwoByTwoImage() {
        // x = [1 2; 3 4] with zero padding 1: the all-ones kernel sums the whole image at every output, the centre
        // tap copies it, and the top-left tap shifts it down and right.
        assertArrayEquals(new float[]{10, 10, 10, 10}, convolve(new float[]{1, 2, 3, 4}, new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1}, 0f));
        assertArrayEquals(new float[]{1, 2, 3, 4}, convolve(new float[]{1, 2, 3, 4}, new float[]{0, 0, 0, 0, 1, 0, 0, 0, 0}, 0f));
        assertArrayEquals(new float[]{0, 0, 0, 1}, convolve(new float[]{1, 2, 3, 4}, new float[]{1, 0, 0, 0, 0, 0, 0, 0, 0}, 0f));
        assertArrayEquals(new float[]{1.5f, 2.5f, 3.5f, 4.5f}, convolve(new float[]{1, 2, 3, 4}, new float[]{0, 0, 0, 0, 1, 0, 0, 0, 0}, 0.5f));
    }

    @Test
    void handWorkedGradientsOfATwoByTwoImage() {
        // y = conv(x, k) with k the top-left tap: y[i][j] = x[i-1][j-1]. With dy = [1 2; 3 4], dx[i][j] = dy[i+1][j+1]
        // (only dx[0][0] = 4 is reached) and dk[0][0] = sum of dy[i][j] x[i-1][j-1] = dy[1][1] x[0][0] = 4 * 1.
        ConvGeometry g = new ConvGeometry(1, 1, 2, 2, 1, 3, 1, 1);
        try (WorkerPool pool = new WorkerPool(1)) {
            WinogradConvolution winograd = new WinogradConvolution(pool);
            MemorySegment w = MemorySegment.ofArray(new float[]{1, 0, 0, 0, 0, 0, 0, 0, 0});
            MemorySegment dy = MemorySegment.ofArray(new float[]{1, 2, 3, 4});
            MemorySegment dx = MemorySegment.ofArray(new float[4]);
            winograd.backwardData(dy, w, dx, g);
            assertArrayEquals(new float[]{4, 0, 0, 0}, dx.toArray(F));
            MemorySegment dw = MemorySegment.ofArray(new float[9]);
            winograd.weightGradient(MemorySegment.ofArray(new float[]{1, 2, 3, 4}), dy, dw, g);
            // dk[a][b] = sum over outputs (i, j) of dy[i][j] x[i+a-1][j+b-1]; e.g. the centre tap is <dy, x> = 30.
            float[] expected = new float[9];
            float[] x = {1, 2, 3, 4}, d = {1, 2, 3, 4};
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    for (int i = 0; i < 2; i++)
                        for (int j = 0; j < 2; j++) {
                            int r = i + a - 1, c = j + b - 1;
                            if (r >= 0 && r < 2 && c >= 0 && c < 2) expected[3 * a + b] += d[2 * i + j] * x[2 * r + c];
                        }
            assertEquals(30f, expected[4]);
            assertArrayEquals(expected, dw.toArray(F), 1e-5f);
        }
    }

    private static float[] convolve(float[] image, float[] kernel, float bias) {
        ConvGeometry g = new ConvGeometry(1, 1, 2, 2, 1, 3, 1, 1);
        try (WorkerPool pool = new WorkerPool(1)) {
            MemorySegment y = MemorySegment.ofArray(new float[4]);
            new WinogradConvolution(pool).forward(MemorySegment.ofArray(image), MemorySegment.ofArray(kernel),
                    MemorySegment.ofArray(new float[]{bias}), y, g);
            return y.toArray(F);
        }
    }
}
