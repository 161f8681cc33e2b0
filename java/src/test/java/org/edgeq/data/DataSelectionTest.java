package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recorded selection picks columns by name in its own order and rows by their target, both ends included. */
class DataSelectionTest {

    static Dataset table() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        return new Dataset("t", Task.REGRESSION, 3, new int[]{3}, x, null, new float[]{1000, 2000, 3000}, 0, List.of("a", "b", "c"), List.of());
    }

    @Test
    void keepsNamedColumnsInTheSelectionsOrder() {
        Dataset d = new DataSelection("n", List.of("c", "a"), null).apply(table());
        assertEquals(List.of("c", "a"), d.featureNames());
        assertArrayEquals(new float[]{3, 1, 6, 4, 9, 7}, d.features());
        assertArrayEquals(new float[]{1000, 2000, 3000}, d.targets());
    }

    @Test
    void keepsRowsWhoseDividedTargetLiesInTheRangeBothEndsIncluded() {
        Dataset d = new DataSelection("n", List.of("a"), new DataSelection.TargetRange(1000, 2, 3)).apply(table());
        assertArrayEquals(new float[]{2000, 3000}, d.targets());
        assertArrayEquals(new float[]{4, 7}, d.features());
        Dataset none = table();
        assertThrows(IllegalArgumentException.class, () -> new DataSelection("n", List.of("a"), new DataSelection.TargetRange(1, 5, 6)).apply(none));
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataSelection("n", List.of("a", "Longitude"), null).apply(table()));
        assertTrue(e.getMessage().contains("'Longitude'") && e.getMessage().contains("[a, b, c]"), e.getMessage());
    }
}
