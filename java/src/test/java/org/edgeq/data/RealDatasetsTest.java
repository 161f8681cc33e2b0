package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loads the seed study's real files from shared/data (skipped when absent) and checks their sizes. */
class RealDatasetsTest {

    static int[] counts(Dataset d) {
        int[] c = new int[d.numClasses()];
        for (int y : d.labels()) c[y]++;
        return c;
    }

    @Test
    void churnHasTenThousandCustomersThirteenFeaturesAndTwentyPercentExited() throws Exception {
        Dataset d = new ChurnCsvLoader().load(SharedData.require("churn.csv"));
        assertEquals(10_000, d.size());
        assertEquals(13, d.featureCount());
        assertArrayEquals(new int[]{7963, 2037}, counts(d));
        assertEquals(List.of("CreditScore", "Geography=France", "Geography=Germany", "Geography=Spain", "Gender=Female",
                "Gender=Male", "Age", "Tenure", "Balance", "NumOfProducts", "HasCrCard", "IsActiveMember", "EstimatedSalary"), d.featureNames());
    }

    @Test
    void telescopeHas19020EventsTenFeaturesAndTwoClasses() throws Exception {
        Dataset d = new TelescopeLoader().load(SharedData.require("telescope.dat"));
        assertEquals(19_020, d.size());
        assertEquals(10, d.featureCount());
        assertArrayEquals(new int[]{12332, 6688}, counts(d));
    }

    @Test
    void californiaIsRegressionOn8FeaturesOver20640Districts() throws Exception {
        Dataset d = new KeelLoader().load(SharedData.require("california.dat"));
        assertEquals(Task.REGRESSION, d.task());
        assertEquals(20_640, d.size());
        assertEquals(8, d.featureCount());
        assertEquals("MedianIncome", d.featureNames().get(7));
        assertEquals(171300f, d.targets()[0]);
    }

    @Test
    void mvIsRegressionOn10FeaturesOver40768Rows() throws Exception {
        Dataset d = new KeelLoader().load(SharedData.require("mv.dat"));
        assertEquals(Task.REGRESSION, d.task());
        assertEquals(40_768, d.size());
        assertEquals(10, d.featureCount());
    }

    @Test
    void fashionMnistLoadsBothFilesAndSplitsSixThousandPerClassForTraining() throws Exception {
        Path dir = SharedData.require("fashion-mnist");
        Datasets.Resolved r = new Datasets(dir.getParent()).resolve("fashion-mnist", null);
        Dataset d = r.dataset();
        assertEquals(70_000, d.size());
        assertArrayEquals(new int[]{1, 28, 28}, d.featureShape());
        assertEquals(10, d.numClasses());
        SplitIndices s = r.splitPlan().apply(d, 1);
        s.check(d.size(), true);
        assertEquals(54_000, s.train().length);
        assertEquals(6_000, s.validation().length);
        assertEquals(10_000, s.test().length);
        int[] trainPerClass = new int[10];
        for (int i : s.train()) trainPerClass[d.labels()[i]]++;
        for (int i : s.validation()) trainPerClass[d.labels()[i]]++;
        for (int c = 0; c < 10; c++) assertEquals(6000, trainPerClass[c], "class " + c);
        assertEquals(60_000, s.test()[0], "the test split is exactly the t10k file");
        int[] testPerClass = new int[10];
        for (int i : s.test()) testPerClass[d.labels()[i]]++;
        for (int c = 0; c < 10; c++) assertEquals(1000, testPerClass[c], "t10k class " + c);
    }
}
