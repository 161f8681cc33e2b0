package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StandardizerTest {

    static Dataset table() {
        // Feature 0: rows 0..3 are 1,2,3,4 and row 4 (a test row) is 100; feature 1 is constant 5 in training rows.
        float[] x = {1, 5, 2, 5, 3, 5, 4, 5, 100, 7};
        return new Dataset("t", Task.REGRESSION, 5, new int[]{2}, x, null, new float[5], 0, List.of("a", "b"), List.of());
    }

    @Test
    void fitsMeanAndPopulationStdOnTrainingRowsOnly() {
        Standardizer s = Standardizer.fit(table(), new int[]{0, 1, 2, 3});
        assertArrayEquals(new float[]{2.5f, 5f}, s.mean());
        assertEquals((float) Math.sqrt(1.25), s.std()[0], 1e-6f);
        assertEquals(1f, s.std()[1], "a constant feature keeps std 1 instead of dividing by zero");
    }

    @Test
    void appliesTrainingStatisticsToEveryRow() {
        Dataset d = table();
        Standardizer s = Standardizer.fit(d, new int[]{0, 1, 2, 3});
        Dataset z = s.apply(d);
        float sd = (float) Math.sqrt(1.25);
        assertEquals((1 - 2.5f) / sd, z.features()[0], 1e-6f);
        assertEquals(0f, z.features()[1]);
        assertEquals((100 - 2.5f) / sd, z.features()[8], 1e-4f, "the test row is scaled with training statistics");
        assertEquals(2f, z.features()[9], "the constant feature is only shifted");
        assertEquals(1f, d.features()[0], "the input dataset is not modified");
        assertSame(d.targets(), z.targets());
    }

    @Test
    void fittingOnDifferentRowsGivesDifferentStatistics() {
        Dataset d = table();
        Standardizer train = Standardizer.fit(d, new int[]{0, 1, 2, 3});
        Standardizer all = Standardizer.fit(d, new int[]{0, 1, 2, 3, 4});
        assertEquals(22f, all.mean()[0], 1e-5f);
        assertEquals(false, train.equals(all));
        assertEquals(new Standardizer(train.mean().clone(), train.std().clone()), train, "rebuilt from its saved arrays");
    }

    @Test
    void refusesMismatchedFeatureCounts() {
        Standardizer s = new Standardizer(new float[]{0, 0, 0}, new float[]{1, 1, 1});
        assertThrows(IllegalArgumentException.class, () -> s.apply(table()));
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(new float[]{0}, new float[]{0}));
    }

    @Test
    void targetStandardizerUsesTrainingTargetsAndInvertsPredictions() {
        float[] t = {10, 20, 30, 40, 1000};
        Dataset d = new Dataset("r", Task.REGRESSION, 5, new int[]{1}, new float[5], null, t, 0, List.of("x"), List.of());
        Standardizer s = Standardizer.fitTargets(d, new int[]{0, 1, 2, 3});
        assertEquals(25f, s.mean()[0]);
        assertEquals((float) Math.sqrt(125), s.std()[0], 1e-5f);
        Dataset z = s.applyToTargets(d);
        assertEquals((10 - 25) / (float) Math.sqrt(125), z.targets()[0], 1e-6f);
        float[] back = z.targets().clone();
        s.inverseInPlace(back);
        assertArrayEquals(t, back, 1e-3f);
        assertEquals(10f, d.targets()[0], "the input dataset is not modified");
    }
}
