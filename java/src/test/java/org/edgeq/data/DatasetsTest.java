package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void syntheticBlobsAreDeterministicBalancedAndNotLinearlyTrivial() throws Exception {
        Dataset a = new Datasets(null).resolve("synthetic-blobs", null).dataset();
        Dataset b = SyntheticDatasets.blobs();
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(4000, a.size());
        assertEquals(16, a.featureCount());
        assertEquals(3, a.numClasses());
        int[] counts = RealDatasetsTest.counts(a);
        assertArrayEquals(new int[]{1356, 1332, 1312}, counts, "the generator is pinned: same data on every JDK");
        // Nearest class mean is a linear classifier; nearest cluster-aware neighbour (1-NN) is not.
        SplitIndices s = DataSplit.sixtyTwentyTwenty(a, 0);
        double linear = nearestMeanAccuracy(a, s.train(), s.test());
        double knn = nearestNeighbourAccuracy(a, s.train(), s.test());
        assertTrue(linear < 0.5, "a linear rule should not solve it: " + linear);
        assertTrue(knn > linear + 0.1, "a non-linear rule should do clearly better: " + knn + " vs " + linear);
    }

    @Test
    void syntheticRegressionIsDeterministic() throws Exception {
        Dataset a = new Datasets(null).resolve("synthetic-regression", null).dataset();
        assertEquals(Task.REGRESSION, a.task());
        assertEquals(3000, a.size());
        assertEquals(8, a.featureCount());
        assertArrayEquals(SyntheticDatasets.regression().targets(), a.targets());
        assertNotEquals(SyntheticDatasets.regression(3000, 1).targets()[0], a.targets()[0]);
    }

    @Test
    void syntheticImagesAreDeterministicImageShapedAndUseEveryClass() throws Exception {
        Dataset a = new Datasets(null).resolve("synthetic-images", null).dataset();
        assertArrayEquals(SyntheticDatasets.images().features(), a.features());
        assertArrayEquals(new int[]{1, 28, 28}, a.featureShape());
        assertEquals(10, a.numClasses());
        for (int c : RealDatasetsTest.counts(a)) assertTrue(c > 200, "every class drawn about 300 times: " + c);
        // Class c brightens cell c of a 4x3 grid: averaged over its samples, that cell outshines every other one.
        for (int c = 0; c < 10; c++) {
            double[] cellMeans = new double[10];
            int n = 0;
            for (int i = 0; i < a.size(); i++) {
                if (a.labels()[i] != c) continue;
                n++;
                for (int cell = 0; cell < 10; cell++) {
                    int top = (cell / 4) * 7 + 1, left = (cell % 4) * 7 + 1;
                    for (int r = 0; r < 3; r++) {
                        for (int q = 0; q < 3; q++) cellMeans[cell] += a.features()[i * 784 + (top + r) * 28 + left + q];
                    }
                }
            }
            for (int cell = 0; cell < 10; cell++) {
                if (cell != c) assertTrue(cellMeans[c] > 2 * cellMeans[cell], "class " + c + " vs cell " + cell + " over " + n + " samples");
            }
        }
    }

    @Test
    void namedDatasetWithoutDataDirectoryExplainsWhereItLooked() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> new Datasets(null).resolve("telescope", null));
        assertTrue(e.getMessage().contains("EDGEQ_DATA"), e.getMessage());
        NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> new Datasets(tmp).resolve("churn", null));
        assertEquals(tmp.resolve("churn.csv") + ": dataset 'churn' not found in " + tmp, e2.getMessage());
    }

    @Test
    void aNamedDatasetIsFoundInTheFirstDefaultDirectoryThatHoldsIt() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("env-data"));
        Path debian = Files.createDirectories(tmp.resolve("usr-share-datasets"));
        Path shared = Files.createDirectories(tmp.resolve("shared-data"));
        Files.writeString(debian.resolve("telescope.dat"), "1,2,3,4,5,6,7,8,9,10,g\n1,2,3,4,5,6,7,8,9,11,h\n");
        Files.writeString(shared.resolve("telescope.dat"), "garbage that would not parse\n");
        Datasets.Resolved r = Datasets.searching(List.of(empty, debian, shared)).resolve("telescope", null);
        assertEquals(debian.resolve("telescope.dat").toString(), r.source());
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Datasets.searching(List.of(empty, shared)).resolve("fashion-mnist", null));
        assertTrue(e.getMessage().contains("not found in any of") && e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void theDefaultDirectoriesComeInTheDocumentedOrder() {
        List<Path> dirs = Datasets.candidateDataDirs();
        int debian = dirs.indexOf(Path.of("/usr/share/datasets"));
        int shared = dirs.indexOf(Path.of("..", "shared", "data"));
        assertTrue(debian >= 0 && shared > debian, dirs.toString());
    }

    @Test
    void unknownNameAndCsvWithoutTargetAreUsageErrors() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Datasets(null).resolve("nope", null));
        assertTrue(e.getMessage().startsWith("unknown dataset 'nope'"), e.getMessage());
        Path csv = tmp.resolve("x.csv");
        Files.writeString(csv, "a,y\n1,2\n");
        assertEquals(csv + ": a CSV file needs a target column (--target NAME)",
                assertThrows(IllegalArgumentException.class, () -> new Datasets(null).resolve(csv.toString(), null)).getMessage());
        assertEquals(Task.REGRESSION, new Datasets(null).resolve(csv.toString(), "y").dataset().task());
    }

    @Test
    void datFilesAreKeelWithAnAtHeaderAndTelescopeOtherwise() throws Exception {
        Path keel = tmp.resolve("k.dat");
        Files.writeString(keel, "\n@relation k\n@attribute A real\n@attribute Y real\n@data\n1,2\n");
        assertEquals(Task.REGRESSION, new Datasets(null).resolve(keel.toString(), null).dataset().task());
        Path tel = tmp.resolve("t.dat");
        Files.writeString(tel, "1,2,3,4,5,6,7,8,9,10,h\n");
        Dataset d = new Datasets(null).resolve(tel.toString(), null).dataset();
        assertArrayEquals(new int[]{1}, d.labels());
    }

    @Test
    void idxImagesFileFindsItsLabelsAndADirectoryLoadsTrainThenTest() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mnist"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxLoaderTest.gzip(IdxLoaderTest.images(6, 2, 2)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxLoaderTest.labels(0, 1, 0, 1, 0, 1));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxLoaderTest.images(2, 2, 2));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxLoaderTest.gzip(IdxLoaderTest.labels(1, 1)));
        Dataset one = new Datasets(null).resolve(dir.resolve("train-images-idx3-ubyte.gz").toString(), null).dataset();
        assertEquals(6, one.size());
        Datasets.Resolved both = new Datasets(null).resolve(dir.toString(), null);
        assertEquals(8, both.dataset().size());
        assertInstanceOf(SplitPlan.PerClassQuota.class, both.splitPlan());
        SplitIndices s = both.splitPlan().apply(both.dataset(), 0);
        assertArrayEquals(new int[]{6, 7}, s.test());
    }

    @Test
    void missingIdxLabelFileIsNamed() throws Exception {
        Path img = tmp.resolve("x-images-idx3-ubyte");
        Files.write(img, IdxLoaderTest.images(1, 1, 1));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> new Datasets(null).resolve(img.toString(), null));
        assertTrue(e.getMessage().startsWith(tmp.resolve("x-labels-idx1-ubyte").toString()), e.getMessage());
    }

    static double nearestMeanAccuracy(Dataset d, int[] train, int[] test) {
        int f = d.featureCount();
        double[][] mean = new double[d.numClasses()][f];
        int[] n = new int[d.numClasses()];
        for (int r : train) {
            n[d.labels()[r]]++;
            for (int j = 0; j < f; j++) mean[d.labels()[r]][j] += d.features()[r * f + j];
        }
        for (int c = 0; c < mean.length; c++) for (int j = 0; j < f; j++) mean[c][j] /= n[c];
        int right = 0;
        for (int r : test) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < mean.length; c++) {
                double dist = 0;
                for (int j = 0; j < f; j++) dist += Math.pow(d.features()[r * f + j] - mean[c][j], 2);
                if (dist < bestD) { bestD = dist; best = c; }
            }
            if (best == d.labels()[r]) right++;
        }
        return (double) right / test.length;
    }

    static double nearestNeighbourAccuracy(Dataset d, int[] train, int[] test) {
        int f = d.featureCount();
        int right = 0;
        for (int r : test) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int t : train) {
                double dist = 0;
                for (int j = 0; j < 6; j++) dist += Math.pow(d.features()[r * f + j] - d.features()[t * f + j], 2);
                if (dist < bestD) { bestD = dist; best = t; }
            }
            if (d.labels()[best] == d.labels()[r]) right++;
        }
        return (double) right / test.length;
    }
}
