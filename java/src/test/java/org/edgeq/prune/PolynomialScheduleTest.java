package org.edgeq.prune;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zhu and Gupta's schedule at hand-picked steps: s_t = s_f + (s_i - s_f)(1 - (t - t0)/(nΔt))^3. */
class PolynomialScheduleTest {
    private final PolynomialSchedule s = new PolynomialSchedule(0.0, 0.9, 10, 4, 5);

    @Test
    void sparsityFollowsTheCubicAtHandPickedSteps() {
        assertEquals(0.0, s.sparsityAt(1), 0);
        assertEquals(0.0, s.sparsityAt(10), 1e-12);
        assertEquals(0.9 - 0.9 * 0.75 * 0.75 * 0.75, s.sparsityAt(15), 1e-12); // 0.5203125
        assertEquals(0.7875, s.sparsityAt(20), 1e-12);
        assertEquals(0.8859375, s.sparsityAt(25), 1e-12);
        assertEquals(0.9, s.sparsityAt(30), 1e-12);
        assertEquals(0.9, s.sparsityAt(1000), 1e-12);
        PolynomialSchedule from = new PolynomialSchedule(0.2, 0.8, 1, 2, 3);
        assertEquals(0.2, from.sparsityAt(1), 1e-12);
        assertEquals(0.8 - 0.6 * 0.125, from.sparsityAt(4), 1e-12);
    }

    @Test
    void prunesAtT0AndEveryFrequencyStepsUntilTheEnd() {
        for (long t = 1; t <= 40; t++) {
            boolean expected = t == 10 || t == 15 || t == 20 || t == 25 || t == 30;
            assertEquals(expected, s.isPruningStep(t), "step " + t);
        }
        assertEquals(30, s.lastPruningStep());
        assertTrue(s.sparsityAt(16) > s.sparsityAt(15) && s.sparsityAt(16) < s.sparsityAt(20), "monotone in between");
        assertFalse(s.isPruningStep(9));
    }

    @Test
    void rejectsSparsitiesOutsideZeroToOneAndEmptySchedules() {
        assertThrows(IllegalArgumentException.class, () -> new PolynomialSchedule(0, 1.0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PolynomialSchedule(0.5, 0.4, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PolynomialSchedule(0, 0.5, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PolynomialSchedule(0, 0.5, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PolynomialSchedule(0, 0.5, 1, 1, 0));
    }
}
