package org.edgeq.data;

/**
 * The scaling a model's data goes through: fitted once on the training rows (or, under the reference study's
 * preset, on all rows before the split), then applied alike to every split and to any rows the saved model is
 * evaluated on later, so no command scales data its own way.
 *
 * @param features the per-feature standardisation; null where features are used as they are (images)
 * @param target   regression only: the target's one-column scaling the model is trained to predict in; null otherwise
 */
public record Preprocessing(Standardizer features, Standardizer target) {

    /**
     * EdgeQ's scaling, fitted on {@code trainRows} of {@code all} only so that nothing of validation or test data
     * leaks into training: tabular features standardised, and a regression target too (house prices in dollars would
     * swamp the loss; R² does not change, and MSE is reported back in the target's own units).
     */
    public static Preprocessing fit(Dataset all, int[] trainRows) {
        boolean tabular = all.featureShape().length == 1;
        return new Preprocessing(tabular ? Standardizer.fit(all, trainRows) : null,
                all.task() == Task.REGRESSION ? Standardizer.fitTargets(all, trainRows) : null);
    }

    /** {@code rows} as the model sees them: features standardised first, then a regression target scaled. */
    public Dataset apply(Dataset rows) {
        Dataset scaled = features == null ? rows : features.apply(rows);
        return target == null || scaled.task() != Task.REGRESSION ? scaled : target.applyToTargets(scaled);
    }
}
