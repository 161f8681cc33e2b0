package org.edgeq.data;

import java.util.ArrayList;
import java.util.List;

/**
 * California Housing as the seed's {@code data/california_data.py} prepared it: Longitude and Latitude dropped, the
 * target (median house value) divided by 1000, only the rows whose divided target lies within its 5% and 95%
 * quantiles (linear interpolation, both ends included) kept, and the six remaining features min-max scaled on those
 * rows. The target stays in the data's dollars and the model predicts thousands of them (a target scaling of 1000).
 */
final class CaliforniaSeedPreprocessing implements SeedPreprocessing {
    static final List<String> DROPPED = List.of("Longitude", "Latitude");
    static final double TARGET_DIVISOR = 1000;
    static final double LOW_QUANTILE = 0.05;
    static final double HIGH_QUANTILE = 0.95;

    @Override
    public Prepared prepare(Dataset loaded) {
        SeedPreprocessing.requireTask(loaded, Task.REGRESSION, "data/california_data.py");
        for (String c : DROPPED) {
            if (!loaded.featureNames().contains(c)) {
                throw new IllegalArgumentException(loaded.name() + " has no feature '" + c + "' for the seed's preparation to drop (it has "
                        + loaded.featureNames() + ")");
            }
        }
        // Quantiles of the divided values, as the seed took them after its division (in float64).
        double[] divided = new double[loaded.size()];
        for (int r = 0; r < divided.length; r++) divided[r] = loaded.targets()[r] / TARGET_DIVISOR;
        DataSelection.TargetRange range = new DataSelection.TargetRange(TARGET_DIVISOR,
                Quantiles.linear(divided, LOW_QUANTILE), Quantiles.linear(divided, HIGH_QUANTILE));
        List<String> features = new ArrayList<>(loaded.featureNames());
        features.removeAll(DROPPED);
        DataSelection selection = new DataSelection("seed preset (data/california_data.py): Longitude and Latitude dropped; rows kept "
                + "where target / 1000 lies within its 5% and 95% quantiles (target_range); features min-max scaled on those rows "
                + "(feature_means = minimum, feature_stds = range); the model predicts the target in thousands (target_scale std 1000)",
                features, range);
        Dataset rows = selection.apply(loaded);
        return new Prepared(selection, rows, MinMaxScaling.fit(rows), new Standardizer(new float[]{0f}, new float[]{(float) TARGET_DIVISOR}));
    }
}
