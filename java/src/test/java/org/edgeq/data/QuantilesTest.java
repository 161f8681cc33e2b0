package org.edgeq.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Linear quantiles as numpy.quantile (and pandas' Series.quantile) compute them, worked by hand. */
class QuantilesTest {

    @Test
    void interpolatesBetweenOrderStatisticsAtQTimesNMinusOne() {
        double[] v = {50, 10, 40, 20, 30};
        assertEquals(12.0, Quantiles.linear(v, 0.05), 1e-12, "h = 0.2: 10 + 0.2 * (20 - 10)");
        assertEquals(48.0, Quantiles.linear(v, 0.95), 1e-12, "h = 3.8: 40 + 0.8 * (50 - 40)");
        assertEquals(30.0, Quantiles.linear(v, 0.5), 0.0);
        assertEquals(10.0, Quantiles.linear(v, 0), 0.0);
        assertEquals(50.0, Quantiles.linear(v, 1), 0.0);
    }

    @Test
    void tiedNeighboursGiveTheirValueExactly() {
        double[] v = {500.001, 0.1, 500.001, 7};
        assertEquals(500.001, Quantiles.linear(v, 0.95), 0.0, "h = 2.85 between two equal values");
        assertEquals(0.1, Quantiles.linear(new double[]{0.1, 0.1, 0.1}, 0.3), 0.0);
    }

    @Test
    void refusesNoValuesNanAndQOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.linear(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.linear(new double[]{1, Double.NaN}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.linear(new double[]{1}, 1.5));
    }
}
