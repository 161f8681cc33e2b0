package org.edgeq.data;

/**
 * Fits scikit-learn's {@code MinMaxScaler} (feature range [0, 1]) as the affine map a {@link Standardizer} applies:
 * offset = the column's minimum, scale = its range, so (x - min) / (max - min). A constant column gets range 1, as
 * scikit-learn treats a zero range, and maps to 0.
 */
public final class MinMaxScaling {
    private MinMaxScaling() {
    }

    /** Fits on every row of {@code data} (the seed fitted its scalers on the whole file, before splitting). */
    public static Standardizer fit(Dataset data) {
        if (data.size() == 0) throw new IllegalArgumentException(data.name() + ": cannot fit a min-max scaling on zero rows");
        int f = data.featureCount();
        float[] x = data.features();
        float[] min = new float[f];
        float[] max = new float[f];
        System.arraycopy(x, 0, min, 0, f);
        System.arraycopy(x, 0, max, 0, f);
        for (int base = f; base < x.length; base += f) {
            for (int j = 0; j < f; j++) {
                min[j] = Math.min(min[j], x[base + j]);
                max[j] = Math.max(max[j], x[base + j]);
            }
        }
        float[] range = new float[f];
        for (int j = 0; j < f; j++) {
            double r = (double) max[j] - min[j];
            range[j] = r > 0 ? (float) r : 1f;
        }
        return new Standardizer(min, range);
    }
}
