package org.edgeq.quant.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one rule that turns a range into scale and zero point (torch.ao's), on hand-worked ranges and ties. */
class AffineParamsTest {
    private static final IntegerGrid U8 = new IntegerGrid(8, false);
    private static final IntegerGrid S4 = new IntegerGrid(4, true);

    @Test
    void gridsAreNarrowSignedOrUnsignedAndRefuseWidthsOutsideTheirRange() {
        assertEquals(-7, S4.qmin());
        assertEquals(7, S4.qmax());
        assertEquals(0, U8.qmin());
        assertEquals(255, U8.qmax());
        assertEquals(65535, new IntegerGrid(16, false).qmax());
        assertEquals(0, new IntegerGrid(1, false).qmin());
        assertEquals(1, new IntegerGrid(1, false).qmax());
        assertThrows(IllegalArgumentException.class, () -> new IntegerGrid(1, true));
        assertThrows(IllegalArgumentException.class, () -> new IntegerGrid(17, false));
        assertThrows(IllegalArgumentException.class, () -> new IntegerGrid(0, false));
    }

    @Test
    void asymmetricRangesFollowTorchObserversOnHandWorkedExamples() {
        // [-1, 3] at 8 bits: scale 4/255, zero point 0 - rint(-1 / (4/255)) = rint(63.75) = 64.
        AffineParams p = AffineParams.forRange(-1f, 3f, U8);
        assertEquals(4f / 255f, p.scale());
        assertEquals(64, p.zeroPoint());
        // A positive-only range still includes 0: [2, 5] -> [0, 5], zero point 0.
        assertEquals(5f / 255f, AffineParams.scale(2f, 5f, U8));
        assertEquals(0, AffineParams.forRange(2f, 5f, U8).zeroPoint());
        // A negative-only range: [-5, -2] -> [-5, 0], zero point 255.
        assertEquals(255, AffineParams.forRange(-5f, -2f, U8).zeroPoint());
    }

    @Test
    void symmetricRangesUseTheLargerMagnitudeAndZeroPointZero() {
        // [-3, 1.5] at 4 bits: scale 3 / ((7 - -7) / 2) = 3/7.
        AffineParams p = AffineParams.forRange(-3f, 1.5f, S4);
        assertEquals(3f / 7f, p.scale());
        assertEquals(0, p.zeroPoint());
        assertEquals(-7, p.quantize(-3f));
        assertEquals(7, p.quantize(3f));
    }

    @Test
    void zeroPointTiesRoundHalfToEven() {
        // Ranges whose -lo/scale is exactly k + 0.5: [-2.5, 4.5] at 3 bits (qmax 7): scale 1, zero point rint(2.5) = 2.
        IntegerGrid u3 = new IntegerGrid(3, false);
        assertEquals(1f, AffineParams.scale(-2.5f, 4.5f, u3));
        assertEquals(2, AffineParams.zeroPoint(-2.5f, 1f, u3));
        // [-3.5, 3.5]: zero point rint(3.5) = 4 (Math.round(-3.5), which rounds half up, would give 3).
        assertEquals(4, AffineParams.zeroPoint(-3.5f, 1f, u3));
        // Codes round half to even too: 2.5 -> 2, 3.5 -> 4 (scale 1, zero point 0 on a symmetric grid).
        AffineParams unit = new AffineParams(4, true, 1f, 0);
        assertEquals(2, unit.quantize(2.5f));
        assertEquals(4, unit.quantize(3.5f));
        assertEquals(-2, unit.quantize(-2.5f));
    }

    @Test
    void anAllZeroOrTinyRangeGetsMachineEpsilonAsItsScale() {
        assertEquals(Math.ulp(1f), AffineParams.scale(0f, 0f, U8));
        assertEquals(Math.ulp(1f), AffineParams.scale(0f, 0f, S4));
        assertEquals(AffineParams.MIN_SCALE, AffineParams.forRange(-1e-9f, 1e-9f, U8).scale());
        assertEquals(0f, AffineParams.forRange(0f, 0f, U8).fakeQuantize(0f));
    }

    @Test
    void zeroPointsAreClampedToTheGridAndBadRangesRefused() {
        // The zero point of a range ending at 0 is qmax; it can never leave the grid.
        assertEquals(255, AffineParams.forRange(-1f, 0f, U8).zeroPoint());
        assertThrows(IllegalArgumentException.class, () -> AffineParams.forRange(2f, 1f, U8));
        assertThrows(IllegalArgumentException.class, () -> AffineParams.forRange(Float.NaN, 1f, U8));
        assertThrows(IllegalArgumentException.class, () -> new AffineParams(8, false, 0f, 0));
    }
}
