package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {

    @Test
    void subsetCopiesTheChosenRowsInOrderWithTheirLabels() {
        Dataset d = BatchIteratorTest.numbered(6);
        Dataset s = d.subset(new int[]{4, 1, 4});
        assertEquals(3, s.size());
        assertArrayEquals(new float[]{4, -4, 40, 1, -1, 10, 4, -4, 40}, s.features());
        assertArrayEquals(new int[]{0, 1, 0}, s.labels());
        assertEquals(d.classNames(), s.classNames());
        s.features()[0] = 99;
        assertEquals(4f, d.features()[12], "the subset does not share memory with its source");
    }

    @Test
    void subsetOfRegressionSetCarriesTargetsAndRejectsBadRows() {
        Dataset d = new Dataset("r", Task.REGRESSION, 3, new int[]{1}, new float[]{1, 2, 3}, null, new float[]{10, 20, 30}, 0,
                List.of("x"), List.of());
        assertArrayEquals(new float[]{30, 10}, d.subset(new int[]{2, 0}).targets());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[]{3}));
    }
}
