package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {

    @Test
    void subsetIsAViewOfTheChosenRowsInOrderWithTheirLabels() {
        Dataset d = BatchIteratorTest.numbered(6);
        Dataset s = d.subset(new int[]{4, 1, 4});
        assertEquals(3, s.size());
        assertArrayEquals(new float[]{4, -4, 40, 1, -1, 10, 4, -4, 40}, s.features());
        assertArrayEquals(new int[]{0, 1, 0}, s.labels());
        assertEquals(d.classNames(), s.classNames());
        assertSame(d.features(), s.rowsStorage(), "a split shares the loaded set's feature memory");
        s.features()[0] = 99;
        assertEquals(4f, s.features()[0], "features() of a view hands out a copy");
        assertEquals(4f, d.features()[12]);
    }

    @Test
    void rowsOfAViewOfAViewMapToTheStoredRows() {
        Dataset d = BatchIteratorTest.numbered(6);
        Dataset s = d.subset(new int[]{5, 3, 1}).subset(new int[]{2, 0});
        assertArrayEquals(new int[]{1, 5}, s.rowIndex());
        float[] row = new float[5];
        s.copyRow(1, row, 2);
        assertArrayEquals(new float[]{0, 0, 5, -5, 50}, row);
        float[] rows = new float[6];
        s.copyRows(0, 2, rows, 0);
        assertArrayEquals(new float[]{1, -1, 10, 5, -5, 50}, rows);
        assertArrayEquals(rows, s.copyFeatures());
        assertArrayEquals(new int[]{1, 1}, s.labels());
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyRow(2, row, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyRows(1, 2, rows, 0));
    }

    @Test
    void subsetOfRegressionSetCarriesTargetsAndRejectsBadRows() {
        Dataset d = new Dataset("r", Task.REGRESSION, 3, new int[]{1}, new float[]{1, 2, 3}, null, new float[]{10, 20, 30}, 0,
                List.of("x"), List.of());
        assertArrayEquals(new float[]{30, 10}, d.subset(new int[]{2, 0}).targets());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[]{3}));
    }
}
