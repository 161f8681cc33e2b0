package org.edgeq.data;

import java.util.Arrays;

/**
 * The rows of one dataset that form its training, validation and test splits; saved beside a trained model so
 * evaluation can reuse exactly the split training used.
 */
public record SplitIndices(int[] train, int[] validation, int[] test) {

    /**
     * Checks that the three index sets are in range for a dataset of {@code size} rows, pairwise disjoint, and
     * (when {@code covering}) together hold every row.
     *
     * @throws IllegalArgumentException naming the first offending index
     */
    public void check(int size, boolean covering) {
        boolean[] seen = new boolean[size];
        int count = 0;
        String[] names = {"train", "validation", "test"};
        int[][] parts = {train, validation, test};
        for (int p = 0; p < 3; p++) {
            for (int i : parts[p]) {
                if (i < 0 || i >= size) throw new IllegalArgumentException(names[p] + " index " + i + " outside 0.." + (size - 1));
                if (seen[i]) throw new IllegalArgumentException(names[p] + " index " + i + " appears twice in the split");
                seen[i] = true;
                count++;
            }
        }
        if (covering && count != size) throw new IllegalArgumentException("split covers " + count + " of " + size + " rows");
    }

    public int total() {
        return train.length + validation.length + test.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitIndices s && Arrays.equals(train, s.train) && Arrays.equals(validation, s.validation)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(train) + Arrays.hashCode(validation)) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "SplitIndices[train=" + train.length + ", validation=" + validation.length + ", test=" + test.length + "]";
    }
}
