package org.edgeq.data;

/**
 * The KEEL mv set as the seed's {@code data/mv_data.py} prepared it: every row and column, the ten features
 * min-max scaled on all rows, the target used as it is.
 */
final class MvSeedPreprocessing implements SeedPreprocessing {

    @Override
    public Prepared prepare(Dataset loaded) {
        SeedPreprocessing.requireTask(loaded, Task.REGRESSION, "data/mv_data.py");
        DataSelection selection = new DataSelection("seed preset (data/mv_data.py): every row and column; features min-max scaled on "
                + "all rows (feature_means = minimum, feature_stds = range); target unscaled", loaded.featureNames(), null);
        Dataset rows = selection.apply(loaded);
        return new Prepared(selection, rows, MinMaxScaling.fit(rows), SeedPreprocessing.unscaledTarget());
    }
}
