package org.edgeq.data;

import java.util.Arrays;

/**
 * Per-feature standardisation (x - mean) / std, fitted on the training rows only and then applied to every split,
 * so no statistic of validation or test data leaks into training. The standard deviation is the population one
 * (as scikit-learn's StandardScaler), and a constant feature gets std 1 so it maps to 0 instead of NaN. Held as
 * plain arrays so a saved model can store and reapply it. The same affine map also carries the seed preset's
 * scalings ({@link SeedPreprocessing}): min-max as mean = minimum and std = range ({@link MinMaxScaling}), and
 * standardisation fitted on all rows.
 */
public record Standardizer(float[] mean, float[] std) {

    public Standardizer {
        if (mean.length != std.length) throw new IllegalArgumentException(mean.length + " means but " + std.length + " deviations");
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Float.isFinite(std[j])) throw new IllegalArgumentException("std[" + j + "] = " + std[j] + " must be positive and finite");
        }
    }

    /** Fits on {@code rows} of {@code data} (the training split), accumulating in double. */
    public static Standardizer fit(Dataset data, int[] rows) {
        if (rows.length == 0) throw new IllegalArgumentException(data.name() + ": cannot fit a standardizer on zero rows");
        int f = data.featureCount();
        double[] sum = new double[f];
        float[] x = data.features();
        for (int r : rows) {
            for (int j = 0; j < f; j++) sum[j] += x[r * f + j];
        }
        double[] m = new double[f];
        for (int j = 0; j < f; j++) m[j] = sum[j] / rows.length;
        double[] sq = new double[f];
        for (int r : rows) {
            for (int j = 0; j < f; j++) {
                double d = x[r * f + j] - m[j];
                sq[j] += d * d;
            }
        }
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            mean[j] = (float) m[j];
            double s = Math.sqrt(sq[j] / rows.length);
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /**
     * Fits a one-column standardizer on the regression targets of {@code rows}: training on standardised targets
     * keeps the loss scale sane for sets like California Housing (targets around 200,000), and
     * {@link #inverseInPlace} maps predictions back to the data's units.
     */
    public static Standardizer fitTargets(Dataset data, int[] rows) {
        if (data.task() != Task.REGRESSION) throw new IllegalArgumentException(data.name() + ": only regression sets have targets to standardise");
        if (rows.length == 0) throw new IllegalArgumentException(data.name() + ": cannot fit a standardizer on zero rows");
        double sum = 0;
        for (int r : rows) sum += data.targets()[r];
        double m = sum / rows.length;
        double sq = 0;
        for (int r : rows) sq += (data.targets()[r] - m) * (data.targets()[r] - m);
        double s = Math.sqrt(sq / rows.length);
        return new Standardizer(new float[]{(float) m}, new float[]{s > 1e-12 ? (float) s : 1f});
    }

    /** A copy of {@code data} with targets standardised by this one-column standardizer; features are shared. */
    public Dataset applyToTargets(Dataset data) {
        if (mean.length != 1 || data.task() != Task.REGRESSION) {
            throw new IllegalArgumentException("applyToTargets needs a one-column standardizer and a regression set");
        }
        float[] t = data.targets().clone();
        applyInPlace(t);
        return data.withTargets(t);
    }

    /** Undoes {@link #applyInPlace}: values = values * std + mean, row by row. */
    public void inverseInPlace(float[] values) {
        int f = mean.length;
        if (values.length % f != 0) throw new IllegalArgumentException(values.length + " values are not whole rows of " + f + " features");
        for (int base = 0; base < values.length; base += f) {
            for (int j = 0; j < f; j++) values[base + j] = values[base + j] * std[j] + mean[j];
        }
    }

    public int featureCount() {
        return mean.length;
    }

    /** A copy of {@code data} with standardised features; labels and targets are shared, not copied. */
    public Dataset apply(Dataset data) {
        if (data.featureCount() != mean.length) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features, the standardizer was fitted on " + mean.length);
        }
        float[] x = data.copyFeatures();
        applyInPlace(x);
        return new Dataset(data.name(), data.task(), data.size(), data.featureShape(), x, data.labels(), data.targets(),
                data.numClasses(), data.featureNames(), data.classNames());
    }

    /** Standardises rows of {@link #featureCount()} values stored back to back in {@code features}. */
    public void applyInPlace(float[] features) {
        int f = mean.length;
        if (features.length % f != 0) throw new IllegalArgumentException(features.length + " values are not whole rows of " + f + " features");
        float[] inv = new float[f];
        for (int j = 0; j < f; j++) inv[j] = 1f / std[j];
        for (int base = 0; base < features.length; base += f) {
            for (int j = 0; j < f; j++) features[base + j] = (features[base + j] - mean[j]) * inv[j];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[" + mean.length + " features]";
    }
}
