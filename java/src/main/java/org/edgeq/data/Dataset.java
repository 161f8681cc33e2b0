package org.edgeq.data;

import java.util.List;

/**
 * An in-memory dataset: {@code size} samples, each a row of {@code featureShape}'s element count in the flat
 * {@code features} array (row-major; images are [channels, height, width]). Classification sets carry
 * {@code labels} (0..numClasses-1) and null targets; regression sets carry {@code targets} and null labels.
 */
public record Dataset(String name, Task task, int size, int[] featureShape, float[] features,
                      int[] labels, float[] targets, int numClasses, List<String> featureNames,
                      List<String> classNames) {

    public Dataset {
        int row = 1;
        for (int d : featureShape) row *= d;
        if ((long) row * size != features.length) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values for " + size + " samples of " + row);
        }
        if (task == Task.CLASSIFICATION && (labels == null || labels.length != size)) {
            throw new IllegalArgumentException(name + ": classification needs one label per sample");
        }
        if (task == Task.REGRESSION && (targets == null || targets.length != size)) {
            throw new IllegalArgumentException(name + ": regression needs one target per sample");
        }
    }

    /** Elements per sample. */
    public int featureCount() {
        int row = 1;
        for (int d : featureShape) row *= d;
        return row;
    }
}
