package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSplitTest {

    /** 1,000 rows with classes 0, 1, 2 in proportions 70%, 20%, 10%, in a scrambled order. */
    static Dataset imbalanced() {
        int n = 1000;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = (i * 7919) % n;
            y[i] = k < 700 ? 0 : k < 900 ? 1 : 2;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return new Dataset("imb", Task.CLASSIFICATION, n, new int[]{1}, x, y, null, 3, List.of("i"), List.of("a", "b", "c"));
    }

    static int[] classCounts(Dataset d, int[] rows) {
        int[] c = new int[d.numClasses()];
        for (int r : rows) c[d.labels()[r]]++;
        return c;
    }

    @Test
    void stratifiedSplitIsSixtyTwentyTwentyWithClassProportionsKept() {
        Dataset d = imbalanced();
        SplitIndices s = DataSplit.sixtyTwentyTwenty(d, 42);
        s.check(d.size(), true);
        assertEquals(600, s.train().length);
        assertEquals(200, s.validation().length);
        assertEquals(200, s.test().length);
        assertArrayEquals(new int[]{420, 120, 60}, classCounts(d, s.train()));
        assertArrayEquals(new int[]{140, 40, 20}, classCounts(d, s.validation()));
        assertArrayEquals(new int[]{140, 40, 20}, classCounts(d, s.test()));
    }

    @Test
    void splitIsDeterministicPerSeedAndDiffersBetweenSeeds() {
        Dataset d = imbalanced();
        assertEquals(DataSplit.sixtyTwentyTwenty(d, 7), DataSplit.sixtyTwentyTwenty(d, 7));
        assertNotEquals(DataSplit.sixtyTwentyTwenty(d, 7), DataSplit.sixtyTwentyTwenty(d, 8));
    }

    @Test
    void unevenSizesStillCoverEveryRowOnceWithExactTotals() {
        for (int n : new int[]{5, 17, 101, 1003}) {
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = (i * i) % 3 == 0 ? 0 : (i % 5 == 0 ? 2 : 1);
            Dataset d = new Dataset("u", Task.CLASSIFICATION, n, new int[]{1}, new float[n], y, null, 3, List.of("x"), List.of("a", "b", "c"));
            SplitIndices s = DataSplit.sixtyTwentyTwenty(d, 1);
            s.check(n, true);
            int test = (int) Math.ceil(0.2 * n);
            assertEquals(test, s.test().length, "n=" + n);
            assertEquals((int) Math.ceil(0.25 * (n - test)), s.validation().length, "n=" + n);
            int[] all = classCounts(d, range(n));
            int[] inTest = classCounts(d, s.test());
            for (int c = 0; c < 3; c++) assertTrue(Math.abs(inTest[c] - all[c] * (double) test / n) < 1.0, "n=" + n + " class " + c);
        }
    }

    @Test
    void regressionSplitIsASeededShuffle() {
        int n = 503;
        Dataset d = new Dataset("r", Task.REGRESSION, n, new int[]{1}, new float[n], null, new float[n], 0, List.of("x"), List.of());
        SplitIndices s = DataSplit.sixtyTwentyTwenty(d, 3);
        s.check(n, true);
        assertEquals(101, s.test().length);
        assertEquals(101, s.validation().length);
        assertEquals(s, DataSplit.sixtyTwentyTwenty(d, 3));
        assertNotEquals(s, DataSplit.sixtyTwentyTwenty(d, 4));
        assertTrue(s.test()[s.test().length - 1] > 400, "test rows are spread over the set, not a prefix");
    }

    @Test
    void allocationFollowsLargestRemainders() {
        assertArrayEquals(new int[]{3, 2, 1}, DataSplit.allocate(new int[]{5, 3, 2}, 6));
        assertArrayEquals(new int[]{2, 2, 0}, DataSplit.allocate(new int[]{4, 4, 1}, 4));
        assertArrayEquals(new int[]{0, 0}, DataSplit.allocate(new int[]{0, 0}, 0));
    }

    @Test
    void perClassQuotaTakesTrainingFromThePoolOnlyAndCarvesValidationStratified() {
        // Pool: rows 0..59, 20 per class (classes 0..2 cycling); rows 60..74 are the test file.
        int n = 75;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        Dataset d = new Dataset("img", Task.CLASSIFICATION, n, new int[]{1}, new float[n], y, null, 3, List.of("p"), List.of("a", "b", "c"));
        SplitIndices s = DataSplit.perClassQuota(d, 60, 15, 0.2, 9);
        s.check(n, true);
        assertArrayEquals(new int[]{12, 12, 12}, classCounts(d, s.train()));
        assertArrayEquals(new int[]{3, 3, 3}, classCounts(d, s.validation()));
        assertEquals(15 + 15, s.test().length, "5 leftover pool rows per class plus the 15 test-file rows");
        for (int r = 60; r < n; r++) assertTrue(Arrays.binarySearch(s.test(), r) >= 0, "test-file row " + r + " is test");
        for (int r : s.train()) assertTrue(r < 60);
        for (int r : s.validation()) assertTrue(r < 60);
        assertEquals(s, DataSplit.perClassQuota(d, 60, 15, 0.2, 9));
    }

    @Test
    void checkRejectsOverlapOutOfRangeAndGaps() {
        assertEquals("test index 1 appears twice in the split",
                assertThrows(IllegalArgumentException.class, () -> new SplitIndices(new int[]{0, 1}, new int[]{}, new int[]{1}).check(3, false)).getMessage());
        assertEquals("train index 3 outside 0..2",
                assertThrows(IllegalArgumentException.class, () -> new SplitIndices(new int[]{3}, new int[]{}, new int[]{}).check(3, false)).getMessage());
        assertEquals("split covers 2 of 3 rows",
                assertThrows(IllegalArgumentException.class, () -> new SplitIndices(new int[]{0}, new int[]{1}, new int[]{}).check(3, true)).getMessage());
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void twoStageRandomSplitHoldsOutFortyPercentThenHalfOfThemAsTestLikeTrainTestSplitTwice() {
        // scikit-learn rounds each test share up: ceil(0.4 n) held out, ceil(0.5 held) of them test.
        int[][] sizes = {{18577, 11146, 3715, 3716}, {10000, 6000, 2000, 2000}, {19020, 11412, 3804, 3804}, {7, 4, 1, 2}};
        for (int[] s : sizes) {
            SplitIndices split = DataSplit.twoStageRandom(s[0], 0.4, 0.5, 3);
            assertEquals(s[1], split.train().length, "train of " + s[0]);
            assertEquals(s[2], split.validation().length, "validation of " + s[0]);
            assertEquals(s[3], split.test().length, "test of " + s[0]);
            split.check(s[0], true);
        }
        assertEquals(DataSplit.twoStageRandom(100, 0.4, 0.5, 3), DataSplit.twoStageRandom(100, 0.4, 0.5, 3));
        assertNotEquals(DataSplit.twoStageRandom(100, 0.4, 0.5, 3), DataSplit.twoStageRandom(100, 0.4, 0.5, 4));
    }

    @Test
    void twoStageRandomSplitIgnoresClassesAsTheSeedsSplitDid() {
        // 90 rows of class 0 and 10 of class 1: a stratified split would put exactly 2 of class 1 in the test split.
        int[] labels = new int[100];
        for (int i = 90; i < 100; i++) labels[i] = 1;
        Dataset d = new Dataset("c", Task.CLASSIFICATION, 100, new int[]{1}, new float[100], labels, null, 2, List.of("x"), List.of("a", "b"));
        boolean unbalanced = false;
        for (long seed = 0; seed < 20 && !unbalanced; seed++) {
            SplitIndices split = SplitPlan.TwoStageRandom.SEED.apply(d, seed);
            long minority = java.util.Arrays.stream(split.test()).filter(r -> labels[r] == 1).count();
            unbalanced = minority != 2;
        }
        assertTrue(unbalanced, "some seed gives the test split other than its proportional share of the rare class");
    }

    /** 1,000 rows sorted by class (700 of class 0, then 200 of 1, then 100 of 2), as a file sorted by label is. */
    static Dataset sortedByClass() {
        int n = 1000;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i < 700 ? 0 : i < 900 ? 1 : 2;
        return new Dataset("sorted", Task.CLASSIFICATION, n, new int[]{1}, new float[n], y, null, 3, List.of("i"), List.of("a", "b", "c"));
    }

    @Test
    void aLimitTakesASeededSampleOfEachSplitWithTheClassesInProportion() {
        Dataset d = sortedByClass();
        SplitIndices full = DataSplit.sixtyTwentyTwenty(d, 42);
        SplitIndices limited = DataSplit.limit(d, full, 100, 50, 42);
        assertArrayEquals(new int[]{70, 20, 10}, classCounts(d, limited.train()));
        assertArrayEquals(new int[]{35, 10, 5}, classCounts(d, limited.validation()));
        assertArrayEquals(new int[]{35, 10, 5}, classCounts(d, limited.test()));
        for (int[][] part : new int[][][]{{limited.train(), full.train()}, {limited.validation(), full.validation()},
                {limited.test(), full.test()}}) {
            assertTrue(Arrays.stream(part[0]).allMatch(r -> Arrays.binarySearch(part[1], r) >= 0), "drawn from its own split");
            assertTrue(isSorted(part[0]));
        }
        assertNotEquals(Arrays.stream(full.train()).limit(100).boxed().toList(), Arrays.stream(limited.train()).boxed().toList(),
                "not the lowest indices");
    }

    @Test
    void aLimitIsTheSameSampleForTheSameSeedAndAnotherForAnotherSeed() {
        Dataset d = sortedByClass();
        SplitIndices full = DataSplit.sixtyTwentyTwenty(d, 42);
        assertEquals(DataSplit.limit(d, full, 100, 25, 7), DataSplit.limit(d, full, 100, 25, 7));
        assertNotEquals(DataSplit.limit(d, full, 100, 25, 7), DataSplit.limit(d, full, 100, 25, 8));
    }

    @Test
    void aLimitAboveASplitsSizeKeepsTheWholeSplit() {
        Dataset d = sortedByClass();
        SplitIndices full = DataSplit.sixtyTwentyTwenty(d, 42);
        assertEquals(full, DataSplit.limit(d, full, 600, 200, 1));
    }

    @Test
    void aLimitOnRegressionIsASeededRandomSample() {
        int n = 500;
        float[] t = new float[n];
        for (int i = 0; i < n; i++) t[i] = i;
        Dataset d = new Dataset("r", Task.REGRESSION, n, new int[]{1}, new float[n], null, t, 0, List.of("x"), null);
        SplitIndices full = DataSplit.sixtyTwentyTwenty(d, 3);
        SplitIndices limited = DataSplit.limit(d, full, 60, 20, 3);
        assertEquals(60, limited.train().length);
        assertEquals(20, limited.test().length);
        assertEquals(limited, DataSplit.limit(d, full, 60, 20, 3));
        assertTrue(limited.train()[limited.train().length - 1] > full.train()[59], "reaches past the first 60 rows");
    }

    private static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) if (a[i - 1] > a[i]) return false;
        return true;
    }
}
