package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The scaling a model's data goes through: fitted on the training rows, applied to every split the same way. */
class PreprocessingTest {
    private static final Dataset REGRESSION = SyntheticDatasets.regression(200, 7);
    private static final int[] TRAIN = IntStream.range(0, 120).toArray();
    private static final int[] TEST = IntStream.range(160, 200).toArray();

    @Test
    void fitsFeaturesAndARegressionTargetOnTheTrainingRowsOnly() {
        Preprocessing p = Preprocessing.fit(REGRESSION, TRAIN);
        assertEquals(Standardizer.fit(REGRESSION, TRAIN), p.features());
        assertEquals(Standardizer.fitTargets(REGRESSION, TRAIN), p.target());
    }

    @Test
    void classificationHasNoTargetScalingAndImagesNoFeatureScaling() {
        Dataset blobs = SyntheticDatasets.blobs();
        assertNull(Preprocessing.fit(blobs, TRAIN).target());
        Dataset images = SyntheticDatasets.images();
        Preprocessing p = Preprocessing.fit(images, TRAIN);
        assertNull(p.features());
        Dataset rows = images.subset(TEST);
        assertSame(rows, p.apply(rows), "images are used as they are");
    }

    @Test
    void appliesTheTrainingStatisticsToAnySplitBitForBitAsTheStandardizersDo() {
        Preprocessing p = Preprocessing.fit(REGRESSION, TRAIN);
        Dataset test = REGRESSION.subset(TEST);
        Dataset expected = p.target().applyToTargets(p.features().apply(test));
        Dataset scaled = p.apply(test);
        assertArrayEquals(expected.features(), scaled.features());
        assertArrayEquals(expected.targets(), scaled.targets());
        assertArrayEquals(REGRESSION.subset(TEST).features(), test.features(), "the rows given are not modified");
    }
}
