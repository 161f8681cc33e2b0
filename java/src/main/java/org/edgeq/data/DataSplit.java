package org.edgeq.data;

import java.util.Arrays;

/**
 * Seeded train/validation/test splits. Classification sets are split stratified by class, so every split keeps
 * the class proportions; regression sets by a seeded shuffle.
 *
 * <p>The test split is taken first ({@code ceil(testFraction * n)} rows), then validation from the rest
 * ({@code ceil(validationFraction / (1 - testFraction) * rest)} rows), giving 60/20/20 for the default fractions.
 * Per-class counts are allocated by largest remainder so the totals are exact. The seed itself did not stratify:
 * {@link #twoStageRandom} is its split, for {@code --preset seed}. The row choice uses {@link SeededRandom}, not
 * NumPy's generator, so the same seed does not pick the same rows as the seed study did, only the same
 * proportions. Index arrays come back sorted ascending.
 */
public final class DataSplit {
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    public static final double DEFAULT_TEST_FRACTION = 0.2;

    private DataSplit() {
    }

    /** The seed's 60/20/20 split. */
    public static SplitIndices sixtyTwentyTwenty(Dataset data, long seed) {
        return split(data, DEFAULT_VALIDATION_FRACTION, DEFAULT_TEST_FRACTION, seed);
    }

    /** Splits all rows of {@code data}: stratified for classification, shuffled for regression. */
    public static SplitIndices split(Dataset data, double validationFraction, double testFraction, long seed) {
        if (!(testFraction > 0 && validationFraction >= 0 && validationFraction + testFraction < 1)) {
            throw new IllegalArgumentException("fractions validation " + validationFraction + " and test " + testFraction
                    + " must be >= 0 (test > 0) and sum below 1");
        }
        SeededRandom rng = new SeededRandom(seed);
        int[] all = range(0, data.size());
        int[][] first = holdOut(data, all, testFraction, rng);
        int[][] second = holdOut(data, first[0], validationFraction / (1 - testFraction), rng);
        return sorted(second[0], second[1], first[1]);
    }

    /**
     * The seed's split (its {@code get_get_train_val_test}): scikit-learn's {@code train_test_split} without
     * stratification, twice. First {@code ceil(heldOutFraction * n)} random rows are held out and the rest is the
     * training split; then {@code ceil(testShareOfHeldOut * heldOut)} random rows of those are the test split and
     * the others validation. With 0.4 and 0.5 that is 60/20/20, the test split taking the odd row. Classes are not
     * balanced across the splits, as in the seed; the rows differ from the seed's, whose generator was NumPy's.
     */
    public static SplitIndices twoStageRandom(int size, double heldOutFraction, double testShareOfHeldOut, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1) || !(testShareOfHeldOut > 0 && testShareOfHeldOut <= 1)) {
            throw new IllegalArgumentException("held-out fraction " + heldOutFraction + " must be in (0, 1) and its test share "
                    + testShareOfHeldOut + " in (0, 1]");
        }
        SeededRandom rng = new SeededRandom(seed);
        int[] rows = range(0, size);
        rng.shuffle(rows);
        // scikit-learn: n_test = ceil(test_size * n_samples), n_train = n_samples - n_test.
        int heldOut = (int) Math.ceil(heldOutFraction * size);
        int[] held = Arrays.copyOfRange(rows, 0, heldOut);
        rng.shuffle(held);
        int test = (int) Math.ceil(testShareOfHeldOut * heldOut);
        return sorted(Arrays.copyOfRange(rows, heldOut, size), Arrays.copyOfRange(held, test, heldOut), Arrays.copyOfRange(held, 0, test));
    }

    /**
     * The split for image sets published as a training file and a test file, loaded as one dataset with the
     * training file's {@code poolSize} rows first (as {@link Datasets} loads Fashion-MNIST). From the pool,
     * {@code perClass} rows of each class (chosen by the seed) are the training candidates; every other row, in the
     * pool or after it, is test. Validation is then carved stratified from the candidates
     * ({@code validationFraction} of them), so the model never sees a test-file image while training or selecting.
     * For Fashion-MNIST (60,000 training images, exactly 6,000 per class) with 6,000 per class this keeps the whole
     * training file for training and validation and the whole t10k file (10,002 images) as test, as the seed did.
     */
    public static SplitIndices perClassQuota(Dataset data, int poolSize, int perClass, double validationFraction, long seed) {
        requireClassification(data, "a per-class quota split");
        if (poolSize < 1 || poolSize > data.size()) throw new IllegalArgumentException("pool size " + poolSize + " outside 1.." + data.size());
        if (perClass < 1) throw new IllegalArgumentException("per-class quota " + perClass + " must be positive");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " outside [0, 1)");
        }
        SeededRandom rng = new SeededRandom(seed);
        int[][] byClass = rowsByClass(data, range(0, poolSize));
        IntList candidates = new IntList(poolSize);
        IntList test = new IntList(data.size() - poolSize + 16);
        for (int[] rows : byClass) {
            rng.shuffle(rows);
            for (int i = 0; i < rows.length; i++) (i < perClass ? candidates : test).add(rows[i]);
        }
        for (int r = poolSize; r < data.size(); r++) test.add(r);
        int[][] carved = holdOut(data, candidates.toArray(), validationFraction, rng);
        return sorted(carved[0], carved[1], test.toArray());
    }

    /**
     * A seeded random subset of each split of {@code split} (of {@code data}): at most {@code trainRows} training rows
     * and {@code otherRows} validation and test rows each, classes in the proportions of the split they are drawn from
     * (largest remainder), regression rows uniformly at random. The same seed gives the same subset; the rows come
     * back sorted ascending. How {@code --limit} cuts a dataset down without taking only its first rows (a file sorted
     * by class would otherwise give one class).
     */
    public static SplitIndices limit(Dataset data, SplitIndices split, int trainRows, int otherRows, long seed) {
        SeededRandom rng = SeededRandom.forStream(seed, 0x4C494D4954L); // "LIMIT": a stream apart from the split's own
        return sorted(sample(data, split.train(), trainRows, rng), sample(data, split.validation(), otherRows, rng),
                sample(data, split.test(), otherRows, rng));
    }

    /** {@code n} of {@code rows} (all of them when there are no more), stratified for classification. */
    private static int[] sample(Dataset data, int[] rows, int n, SeededRandom rng) {
        if (rows.length <= n) return rows.clone();
        return holdOut(data, rows, (double) n / rows.length, rng)[1];
    }

    /**
     * Splits {@code rows} into {@code {kept, heldOut}} with {@code ceil(fraction * rows.length)} held out,
     * stratified when the data is classification.
     */
    private static int[][] holdOut(Dataset data, int[] rows, double fraction, SeededRandom rng) {
        int want = (int) Math.ceil(fraction * rows.length - 1e-9);
        if (data.task() == Task.REGRESSION) {
            int[] shuffled = rows.clone();
            rng.shuffle(shuffled);
            return new int[][]{Arrays.copyOfRange(shuffled, want, shuffled.length), Arrays.copyOfRange(shuffled, 0, want)};
        }
        int[][] byClass = rowsByClass(data, rows);
        int[] sizes = new int[byClass.length];
        for (int c = 0; c < sizes.length; c++) sizes[c] = byClass[c].length;
        int[] quota = allocate(sizes, want);
        IntList kept = new IntList(rows.length - want + 1);
        IntList held = new IntList(want + 1);
        for (int c = 0; c < byClass.length; c++) {
            rng.shuffle(byClass[c]);
            for (int i = 0; i < byClass[c].length; i++) (i < quota[c] ? held : kept).add(byClass[c][i]);
        }
        return new int[][]{kept.toArray(), held.toArray()};
    }

    /**
     * Per-class counts summing to {@code total}, proportional to {@code sizes}: floors first, then one more for
     * the classes with the largest remainders (ties to the lower class index).
     */
    static int[] allocate(int[] sizes, int total) {
        long n = 0;
        for (int s : sizes) n += s;
        int[] quota = new int[sizes.length];
        if (n == 0) return quota;
        double[] remainder = new double[sizes.length];
        int given = 0;
        for (int c = 0; c < sizes.length; c++) {
            double exact = (double) sizes[c] * total / n;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            given += quota[c];
        }
        while (given < total) {
            int best = -1;
            for (int c = 0; c < sizes.length; c++) {
                if (quota[c] < sizes[c] && (best < 0 || remainder[c] > remainder[best])) best = c;
            }
            quota[best]++;
            remainder[best] = -1;
            given++;
        }
        return quota;
    }

    private static int[][] rowsByClass(Dataset data, int[] rows) {
        int[] counts = new int[data.numClasses()];
        int[] labels = data.labels();
        for (int r : rows) {
            int y = labels[r];
            if (y < 0 || y >= counts.length) {
                throw new IllegalArgumentException(data.name() + ": row " + r + " has label " + y + " outside 0.." + (counts.length - 1));
            }
            counts[y]++;
        }
        int[][] out = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) out[c] = new int[counts[c]];
        int[] fill = new int[counts.length];
        for (int r : rows) out[labels[r]][fill[labels[r]]++] = r;
        return out;
    }

    private static void requireClassification(Dataset data, String what) {
        if (data.task() != Task.CLASSIFICATION) throw new IllegalArgumentException(data.name() + ": " + what + " needs a classification set");
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static SplitIndices sorted(int[] train, int[] validation, int[] test) {
        Arrays.sort(train);
        Arrays.sort(validation);
        Arrays.sort(test);
        return new SplitIndices(train, validation, test);
    }
}
