package org.edgeq.data;

/**
 * The MAGIC telescope set as the seed's {@code data/telescope_data.py} prepared it: every row, the ten features
 * standardised (population standard deviation) on all rows, classes numbered in sorted order (g = 0, h = 1) as
 * {@link TelescopeLoader} already numbers them.
 */
final class TelescopeSeedPreprocessing implements SeedPreprocessing {

    @Override
    public Prepared prepare(Dataset loaded) {
        SeedPreprocessing.requireTask(loaded, Task.CLASSIFICATION, "data/telescope_data.py");
        DataSelection selection = new DataSelection("seed preset (data/telescope_data.py): every row and column; features standardised "
                + "on all rows (feature_means, feature_stds)", loaded.featureNames(), null);
        Dataset rows = selection.apply(loaded);
        int[] all = new int[rows.size()];
        for (int r = 0; r < all.length; r++) all[r] = r;
        return new Prepared(selection, rows, Standardizer.fit(rows, all), null);
    }
}
