package org.edgeq.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns and rows of a loaded tabular dataset that a preset keeps. Recorded in {@code model.json}, so that
 * evaluation and every compression command select the same data again from the same file before they apply the
 * recorded split and scaling.
 *
 * @param note        how the selection and the scaling recorded beside it came about, for readers of model.json
 * @param features    the loaded dataset's feature names to keep, in the order the model reads them
 * @param targetRange regression only: which rows to keep by their target (null keeps every row)
 */
public record DataSelection(String note, List<String> features, TargetRange targetRange) {

    public DataSelection {
        if (features == null || features.isEmpty()) throw new IllegalArgumentException("a selection keeps at least one feature");
        features = List.copyOf(features);
    }

    /**
     * Keeps a row when its target divided by {@code divisor} lies in [low, high], both ends included; the division
     * and comparison are in double, as the seed's pandas filter compared its rescaled float64 column.
     */
    public record TargetRange(double divisor, double low, double high) {
        public TargetRange {
            if (!(divisor > 0) || !Double.isFinite(divisor)) throw new IllegalArgumentException("target divisor " + divisor + " must be positive");
            if (!(low <= high)) throw new IllegalArgumentException("target range [" + low + ", " + high + "] is empty");
        }

        public boolean keeps(float target) {
            double t = target / divisor;
            return t >= low && t <= high;
        }
    }

    /**
     * The kept rows (in file order) with the kept columns, unscaled; labels, targets and class names follow their rows.
     *
     * @throws IllegalArgumentException when {@code loaded} lacks a feature, is not tabular, or has no targets to range over
     */
    public Dataset apply(Dataset loaded) {
        if (loaded.featureShape().length != 1) {
            throw new IllegalArgumentException(loaded.name() + ": a column selection needs tabular rows, not samples of " + loaded.featureShape().length + " dimensions");
        }
        int[] columns = new int[features.size()];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = loaded.featureNames().indexOf(features.get(k));
            if (columns[k] < 0) {
                throw new IllegalArgumentException(loaded.name() + " has no feature '" + features.get(k) + "' (it has " + loaded.featureNames() + ")");
            }
        }
        if (targetRange != null && loaded.task() != Task.REGRESSION) {
            throw new IllegalArgumentException(loaded.name() + ": a target range needs a regression set");
        }
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < loaded.size(); r++) {
            if (targetRange == null || targetRange.keeps(loaded.targets()[r])) rows.add(r);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(loaded.name() + ": the target range " + targetRange + " keeps no row");
        int f = loaded.featureCount();
        int kept = columns.length;
        float[] in = loaded.features();
        float[] x = new float[Math.multiplyExact(rows.size(), kept)];
        int[] labels = loaded.labels() == null ? null : new int[rows.size()];
        float[] targets = loaded.targets() == null ? null : new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int r = rows.get(i);
            for (int k = 0; k < kept; k++) x[i * kept + k] = in[r * f + columns[k]];
            if (labels != null) labels[i] = loaded.labels()[r];
            if (targets != null) targets[i] = loaded.targets()[r];
        }
        return new Dataset(loaded.name(), loaded.task(), rows.size(), new int[]{kept}, x, labels, targets, loaded.numClasses(),
                features, loaded.classNames());
    }
}
