package org.edgeq.train;

import java.util.List;
import java.util.Random;

import org.edgeq.data.Dataset;
import org.edgeq.data.Task;

/** Tiny 1-channel images whose class is where a bright square sits, for fast CNN tests. */
final class SyntheticImages {
    private SyntheticImages() {
    }

    static Dataset make(int samples, int size, int classes) {
        Random r = new Random(3);
        float[] x = new float[samples * size * size];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = i % classes;
            for (int p = 0; p < size * size; p++) x[i * size * size + p] = (float) (0.3 * r.nextGaussian());
            int col = y[i] * size / classes;
            for (int row = 1; row < 4; row++) x[i * size * size + row * size + col] += 2f;
        }
        return new Dataset("images", Task.CLASSIFICATION, samples, new int[] {1, size, size}, x, y, null, classes, List.of(), List.of());
    }
}
