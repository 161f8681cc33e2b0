package org.edgeq.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The bank-churn set as the seed's {@code data/churn_data.py} prepared it: a column transformer that one-hot encodes
 * Geography and Gender (categories sorted) and puts those columns first, then the other columns in file order,
 * standardised (population standard deviation) on all rows; the one-hot columns are left as 0 and 1.
 */
final class ChurnSeedPreprocessing implements SeedPreprocessing {

    @Override
    public Prepared prepare(Dataset loaded) {
        SeedPreprocessing.requireTask(loaded, Task.CLASSIFICATION, "data/churn_data.py");
        List<String> encoded = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String name : loaded.featureNames()) {
            (isOneHot(name) ? encoded : rest).add(name);
        }
        for (String c : ChurnCsvLoader.CATEGORICAL) {
            if (encoded.stream().noneMatch(n -> n.startsWith(c + "="))) {
                throw new IllegalArgumentException(loaded.name() + " has no one-hot columns of '" + c + "' (it has " + loaded.featureNames() + ")");
            }
        }
        List<String> order = new ArrayList<>(encoded);
        order.addAll(rest);
        DataSelection selection = new DataSelection("seed preset (data/churn_data.py): Geography and Gender one-hot first, then the other "
                + "columns standardised on all rows (feature_means, feature_stds; the one-hot columns keep mean 0 and std 1)", order, null);
        Dataset rows = selection.apply(loaded);
        int[] all = new int[rows.size()];
        for (int r = 0; r < all.length; r++) all[r] = r;
        Standardizer fitted = Standardizer.fit(rows, all);
        float[] mean = fitted.mean().clone();
        float[] std = fitted.std().clone();
        for (int j = 0; j < encoded.size(); j++) {
            mean[j] = 0f;
            std[j] = 1f;
        }
        return new Prepared(selection, rows, new Standardizer(mean, std), null);
    }

    private static boolean isOneHot(String feature) {
        for (String c : ChurnCsvLoader.CATEGORICAL) {
            if (feature.startsWith(c + "=")) return true;
        }
        return false;
    }
}
