package org.edgeq.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory dataset: {@code size} samples, each a row of {@code featureShape}'s element count (row-major; images
 * are [channels, height, width]). Classification sets carry {@code labels} (0..numClasses-1) and null targets;
 * regression sets carry {@code targets} and null labels.
 *
 * <p>The rows live in the flat {@code features} array, in order, unless {@code rowIndex} is given: then row {@code i}
 * is row {@code rowIndex[i]} of {@code features}, so the splits of one loaded set share its memory instead of
 * copying it ({@link #subset}). Readers take rows with {@link #copyRow} / {@link #copyRows}; {@link #features()}
 * of such a row view is a fresh copy of its rows.
 */
public record Dataset(String name, Task task, int size, int[] featureShape, float[] features,
                      int[] labels, float[] targets, int numClasses, List<String> featureNames,
                      List<String> classNames, int[] rowIndex) {

    public Dataset {
        int row = 1;
        for (int d : featureShape) row *= d;
        if (rowIndex == null && (long) row * size != features.length) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values for " + size + " samples of " + row);
        }
        if (rowIndex != null) {
            if (rowIndex.length != size) throw new IllegalArgumentException(name + ": " + rowIndex.length + " row indices for " + size + " samples");
            long stored = row == 0 ? 0 : features.length / row;
            if (row != 0 && features.length % row != 0) {
                throw new IllegalArgumentException(name + ": " + features.length + " feature values are not whole rows of " + row);
            }
            for (int r : rowIndex) {
                if (r < 0 || r >= stored) throw new IndexOutOfBoundsException(name + ": row " + r + " outside 0.." + (stored - 1));
            }
        }
        if (task == Task.CLASSIFICATION && (labels == null || labels.length != size)) {
            throw new IllegalArgumentException(name + ": classification needs one label per sample");
        }
        if (task == Task.REGRESSION && (targets == null || targets.length != size)) {
            throw new IllegalArgumentException(name + ": regression needs one target per sample");
        }
    }

    /** A dataset whose rows are stored in order in {@code features}. */
    public Dataset(String name, Task task, int size, int[] featureShape, float[] features, int[] labels, float[] targets,
                   int numClasses, List<String> featureNames, List<String> classNames) {
        this(name, task, size, featureShape, features, labels, targets, numClasses, featureNames, classNames, null);
    }

    /**
     * The feature values of every row, back to back. For a row view ({@code rowIndex} given) this is a new array
     * each call: hot paths read rows with {@link #copyRow} or {@link #copyRows} instead.
     */
    @Override
    public float[] features() {
        if (rowIndex == null) return features;
        int f = featureCount();
        float[] x = new float[Math.multiplyExact(size, f)];
        copyRows(0, size, x, 0);
        return x;
    }

    /** The array the rows are stored in: {@link #features()} of a plain set, the shared array of a row view. */
    public float[] rowsStorage() {
        return features;
    }

    /** A new array with the feature values of every row, back to back (one copy, view or not). */
    public float[] copyFeatures() {
        return rowIndex == null ? features.clone() : features();
    }

    /** Copies the features of row {@code row} to {@code dst[dstOff ..]}. */
    public void copyRow(int row, float[] dst, int dstOff) {
        Objects.checkIndex(row, size);
        int f = featureCount();
        int stored = rowIndex == null ? row : rowIndex[row];
        System.arraycopy(features, stored * f, dst, dstOff, f);
    }

    /** Copies the features of rows {@code first .. first + count} to {@code dst[dstOff ..]}, back to back. */
    public void copyRows(int first, int count, float[] dst, int dstOff) {
        Objects.checkFromIndexSize(first, count, size);
        int f = featureCount();
        if (rowIndex == null) {
            System.arraycopy(features, first * f, dst, dstOff, count * f);
            return;
        }
        for (int i = 0; i < count; i++) System.arraycopy(features, rowIndex[first + i] * f, dst, dstOff + i * f, f);
    }

    /**
     * The given rows, in the given order (rows may repeat), as a view that shares this dataset's feature memory;
     * labels and targets are copied. Names and class list are kept, so labels mean the same classes as here.
     */
    public Dataset subset(int[] rows) {
        int[] y = labels == null ? null : new int[rows.length];
        float[] t = targets == null ? null : new float[rows.length];
        int[] stored = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= size) throw new IndexOutOfBoundsException(name + ": row " + r + " outside 0.." + (size - 1));
            stored[i] = rowIndex == null ? r : rowIndex[r];
            if (y != null) y[i] = labels[r];
            if (t != null) t[i] = targets[r];
        }
        return new Dataset(name, task, rows.length, featureShape.clone(), features, y, t, numClasses, featureNames, classNames, stored);
    }

    /** The same rows with other targets (a regression set's scaled targets); features stay shared. */
    public Dataset withTargets(float[] newTargets) {
        return new Dataset(name, task, size, featureShape, features, null, newTargets, numClasses, featureNames, classNames, rowIndex);
    }

    /** Elements per sample. */
    public int featureCount() {
        int row = 1;
        for (int d : featureShape) row *= d;
        return row;
    }
}
