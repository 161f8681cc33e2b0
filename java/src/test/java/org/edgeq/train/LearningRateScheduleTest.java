package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedules follow PyTorch's StepLR and CosineAnnealingLR epoch by epoch. */
class LearningRateScheduleTest {

    @Test
    void constantKeepsTheBaseRate() {
        assertEquals(0.1f, new LearningRateSchedule.Constant().rate(0.1f, 57));
    }

    @Test
    void stepMultipliesByGammaEveryStepEpochs() {
        var s = new LearningRateSchedule.Step(3, 0.5f);
        assertEquals(1f, s.rate(1f, 0));
        assertEquals(1f, s.rate(1f, 2));
        assertEquals(0.5f, s.rate(1f, 3));
        assertEquals(0.25f, s.rate(1f, 7), 1e-7f);
    }

    @Test
    void cosineStartsAtBaseIsHalfwayAtMidpointAndEndsAtMinimum() {
        var s = new LearningRateSchedule.Cosine(10, 0.1f);
        assertEquals(1f, s.rate(1f, 0), 1e-7f);
        assertEquals(0.55f, s.rate(1f, 5), 1e-6f);
        assertEquals(0.1f, s.rate(1f, 10), 1e-7f);
        assertEquals(0.1f + 0.9f * (1 + (float) Math.cos(Math.PI * 3 / 10)) / 2, s.rate(1f, 3), 1e-6f);
    }

    @Test
    void invalidSchedulesNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.Step(0, 0.5f));
        assertEquals(true, e.getMessage().contains("stepEpochs"));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.Cosine(0, 0f));
    }
}
