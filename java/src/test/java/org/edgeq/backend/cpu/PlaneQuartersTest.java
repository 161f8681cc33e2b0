package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Quarter planes against their element-by-element definition, for widths that take each of the three paths. */
class PlaneQuartersTest {
    // Half widths below, equal to, and multiples of the vector length, ones that divide it, and ones that do neither;
    // heights that leave rows over after the vector steps.
    private static final int[] WIDTHS = {2, 4, 6, 8, 14, 16, 32, 64, 96, 128};
    private static final int[] HEIGHTS = {2, 4, 6, 8, 10, 16, 18, 32, 34};

    @Test
    void splitPutsEachElementInItsRowAndColumnParityQuarter() {
        SplittableRandom random = new SplittableRandom(3);
        for (int w : WIDTHS) {
            for (int h : HEIGHTS) {
                int half = w / 2, stride = (h / 2) * half + 5, base = 2;
                float[] plane = new float[h * w];
                for (int i = 0; i < plane.length; i++) plane[i] = (float) random.nextDouble();
                float[] quarters = new float[base + 4 * stride];
                new PlaneQuarters(h, w, stride).split(plane, quarters, base);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int at = base + (2 * (y % 2) + x % 2) * stride + (y / 2) * half + x / 2;
                        assertEquals(plane[y * w + x], quarters[at], 0f, w + "x" + h + " at (" + y + ", " + x + ")");
                    }
                }
            }
        }
    }

    @Test
    void joinUndoesSplit() {
        SplittableRandom random = new SplittableRandom(4);
        for (int w : WIDTHS) {
            for (int h : HEIGHTS) {
                int stride = (h / 2) * (w / 2) + 3;
                float[] plane = new float[h * w];
                for (int i = 0; i < plane.length; i++) plane[i] = (float) random.nextDouble();
                PlaneQuarters quarters = new PlaneQuarters(h, w, stride);
                float[] split = new float[4 * stride], back = new float[h * w];
                quarters.split(plane, split, 0);
                quarters.join(split, back);
                assertArrayEquals(plane, back, w + "x" + h);
            }
        }
    }
}
