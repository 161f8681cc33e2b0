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

    /**
     * A new dataset holding copies of the given rows, in the given order (rows may repeat). Names and class list
     * are kept, so labels mean the same classes as in this dataset.
     */
    public Dataset subset(int[] rows) {
        int f = featureCount();
        float[] x = new float[Math.multiplyExact(rows.length, f)];
        int[] y = labels == null ? null : new int[rows.length];
        float[] t = targets == null ? null : new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= size) throw new IndexOutOfBoundsException(name + ": row " + r + " outside 0.." + (size - 1));
            System.arraycopy(features, r * f, x, i * f, f);
            if (y != null) y[i] = labels[r];
            if (t != null) t[i] = targets[r];
        }
        return new Dataset(name, task, rows.length, featureShape.clone(), x, y, t, numClasses, featureNames, classNames);
    }

    /** Elements per sample. */
    public int featureCount() {
        int row = 1;
        for (int d : featureShape) row *= d;
        return row;
    }
}
