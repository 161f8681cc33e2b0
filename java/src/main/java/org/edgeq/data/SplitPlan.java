package org.edgeq.data;

/** How a named dataset is split by default; the registry attaches one to every dataset it resolves. */
public sealed interface SplitPlan {

    /** The split for {@code data} under {@code seed}. */
    SplitIndices apply(Dataset data, long seed);

    /** EdgeQ's seeded split of all rows (stratified for classification), 60/20/20 as the seed's fractions. */
    record Fractions(double validationFraction, double testFraction) implements SplitPlan {
        public static final Fractions SEED = new Fractions(DataSplit.DEFAULT_VALIDATION_FRACTION, DataSplit.DEFAULT_TEST_FRACTION);

        @Override
        public SplitIndices apply(Dataset data, long seed) {
            return DataSplit.split(data, validationFraction, testFraction, seed);
        }
    }

    /**
     * The seed's own split ({@link DataSplit#twoStageRandom}): a random, unstratified share held out of all rows, then
     * a random share of those as test, the rest validation.
     */
    record TwoStageRandom(double heldOutFraction, double testShareOfHeldOut) implements SplitPlan {
        /** train_test_split(test_size=0.4), then train_test_split(test_size=0.5) of the held-out rows: 60/20/20. */
        public static final TwoStageRandom SEED = new TwoStageRandom(0.4, 0.5);

        @Override
        public SplitIndices apply(Dataset data, long seed) {
            return DataSplit.twoStageRandom(data.size(), heldOutFraction, testShareOfHeldOut, seed);
        }
    }

    /** The split of {@link DataSplit#perClassQuota}: a training pool, a per-class quota, validation carved out. */
    record PerClassQuota(int poolSize, int perClass, double validationFraction) implements SplitPlan {
        @Override
        public SplitIndices apply(Dataset data, long seed) {
            return DataSplit.perClassQuota(data, poolSize, perClass, validationFraction, seed);
        }
    }
}
