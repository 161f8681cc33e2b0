package org.edgeq.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParetoFrontTest {

    @Test
    void frontKeepsExactlyTheUndominatedPointsByIncreasingCost() {
        //                 A    B    C    D    E    F    G           H
        double[] cost = {1, 2, 3, 4, 2, 5, Double.NaN, 0.5};
        double[] acc = {50, 70, 60, 90, 70, 90, 99, 40};
        // C (3, 60) is dominated by B (2, 70); F (5, 90) by D (4, 90), same quality at a higher cost; G has no cost;
        // B and E are the same point, so neither dominates the other and both stay.
        assertEquals(List.of(7, 0, 1, 4, 3), ParetoFront.of(cost, acc, true));
    }

    @Test
    void lowerIsBetterQualityFlipsTheDominance() {
        double[] cost = {1, 2, 2, 3, 4};
        double[] mse = {0.3, 0.2, 0.25, 0.1, 0.1};
        // (2, 0.25) loses to (2, 0.2) at the same cost; (4, 0.1) to (3, 0.1) at the same error.
        assertEquals(List.of(0, 1, 3), ParetoFront.of(cost, mse, false));
    }

    @Test
    void aSinglePointIsItsOwnFrontAndNoPointsGiveAnEmptyOne() {
        assertEquals(List.of(0), ParetoFront.of(new double[]{3}, new double[]{0.5}, true));
        assertEquals(List.of(), ParetoFront.of(new double[0], new double[0], true));
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.of(new double[2], new double[3], true));
    }
}
