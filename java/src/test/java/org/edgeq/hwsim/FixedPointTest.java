package org.edgeq.hwsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * gemmlowp/TFLite requantization against a BigInteger reference written from the definitions (exact products,
 * floor division), over many random multipliers, shifts and inputs and the rounding edge cases.
 */
class FixedPointTest {
    private static final BigInteger TWO = BigInteger.TWO;

    /** floor(a * b / 2^31 + 1/2) = floor((2ab + 2^31) / 2^32), saturated (only a = b = MIN_VALUE overflows). */
    static int srdhmReference(int a, int b) {
        BigInteger num = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).multiply(TWO).add(TWO.pow(31));
        BigInteger q = floorDiv(num, TWO.pow(32));
        return saturate(q);
    }

    /** x / 2^e rounded to nearest, ties away from zero. */
    static int rdbpotReference(int x, int e) {
        if (e == 0) return x;
        BigInteger abs = BigInteger.valueOf(x).abs();
        BigInteger r = floorDiv(abs.add(TWO.pow(e - 1)), TWO.pow(e));
        return (x < 0 ? r.negate() : r).intValueExact();
    }

    static int mbqmReference(int x, int multiplier, int shift) {
        int left = Math.max(shift, 0), right = Math.max(-shift, 0);
        int shifted = saturate(BigInteger.valueOf(x).shiftLeft(left));
        return rdbpotReference(srdhmReference(shifted, multiplier), right);
    }

    private static BigInteger floorDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private static int saturate(BigInteger v) {
        if (v.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) return Integer.MAX_VALUE;
        if (v.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) < 0) return Integer.MIN_VALUE;
        return v.intValueExact();
    }

    private static int randomInt(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt();
            case 1 -> r.nextInt(-70_000, 70_000); // typical accumulators
            case 2 -> r.nextInt(-(1 << 20), 1 << 20);
            default -> r.nextBoolean() ? Integer.MAX_VALUE - r.nextInt(4) : Integer.MIN_VALUE + r.nextInt(4);
        };
    }

    @Test
    void saturatingRoundingDoublingHighMulEqualsBigIntegerDefinitionOnRandomAndEdgeOperands() {
        SplittableRandom r = new SplittableRandom(1);
        int[] edge = {0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30), (1 << 30) + 1, 3, -3};
        for (int a : edge) for (int b : edge) assertEquals(srdhmReference(a, b), FixedPoint.saturatingRoundingDoublingHighMul(a, b), a + " * " + b);
        for (int i = 0; i < 200_000; i++) {
            int a = randomInt(r), b = r.nextBoolean() ? r.nextInt() : r.nextInt(1 << 30, Integer.MAX_VALUE);
            assertEquals(srdhmReference(a, b), FixedPoint.saturatingRoundingDoublingHighMul(a, b), a + " * " + b);
        }
    }

    @Test
    void doublingHighMulRoundsExactHalvesTowardPlusInfinity() {
        // b = 2^30 is one half in Q31: a * b / 2^31 = a / 2.
        assertEquals(1, FixedPoint.saturatingRoundingDoublingHighMul(1, 1 << 30)); // 0.5 -> 1
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(-1, 1 << 30)); // -0.5 -> 0
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30)); // -1.5 -> -1
        assertEquals(2, FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30)); // 1.5 -> 2
        assertEquals(Integer.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
    }

    @Test
    void roundingDivideByPowerOfTwoEqualsBigIntegerDefinitionIncludingTies() {
        SplittableRandom r = new SplittableRandom(2);
        for (int e = 0; e <= 31; e++) {
            for (int x : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1}) {
                assertEquals(rdbpotReference(x, e), FixedPoint.roundingDivideByPOT(x, e), x + " / 2^" + e);
            }
            if (e > 0 && e < 31) {
                for (int t = -5; t <= 5; t++) { // exact ties t * 2^e + 2^(e-1) round away from zero
                    int x = t * (1 << e) + (1 << (e - 1));
                    assertEquals(rdbpotReference(x, e), FixedPoint.roundingDivideByPOT(x, e), "tie " + x + " / 2^" + e);
                    assertEquals(rdbpotReference(-x, e), FixedPoint.roundingDivideByPOT(-x, e), "tie " + -x + " / 2^" + e);
                }
            }
            for (int i = 0; i < 5_000; i++) {
                int x = randomInt(r);
                assertEquals(rdbpotReference(x, e), FixedPoint.roundingDivideByPOT(x, e), x + " / 2^" + e);
            }
        }
        assertEquals(2, FixedPoint.roundingDivideByPOT(3, 1)); // 1.5 -> 2
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-3, 1)); // -1.5 -> -2
        assertEquals(-1, FixedPoint.roundingDivideByPOT(-5, 2)); // -1.25 -> -1
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.roundingDivideByPOT(1, 32));
    }

    @Test
    void multiplyByQuantizedMultiplierEqualsBigIntegerReferenceOverRandomMultipliersShiftsAndInputs() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 300_000; i++) {
            int multiplier = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(1 << 30, Integer.MAX_VALUE);
            int shift = r.nextInt(-31, 31);
            int x = randomInt(r);
            assertEquals(mbqmReference(x, multiplier, shift), FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift),
                    x + " * " + multiplier + " << " + shift);
        }
    }

    @Test
    void straightLineFormEqualsGemmlowpFormForEveryNonNegativeMultiplier() {
        SplittableRandom r = new SplittableRandom(9);
        int[] edge = {0, 1, -1, 2, -2, 3, -3, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30)};
        for (int shift = -31; shift <= 30; shift++) {
            for (int x : edge) {
                for (int q : new int[] {0, 1, 1 << 30, Integer.MAX_VALUE, (1 << 30) + 12345}) {
                    assertEquals(FixedPoint.multiplyByQuantizedMultiplier(x, q, shift), FixedPoint.multiplyByQuantizedMultiplierFast(x, q, shift),
                            x + " * " + q + " << " + shift);
                }
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            int q = r.nextInt(8) == 0 ? r.nextInt(0, Integer.MAX_VALUE) : r.nextInt(1 << 30, Integer.MAX_VALUE);
            int shift = r.nextInt(6) == 0 ? r.nextInt(-31, 31) : r.nextInt(-12, 1);
            int x = randomInt(r);
            assertEquals(FixedPoint.multiplyByQuantizedMultiplier(x, q, shift), FixedPoint.multiplyByQuantizedMultiplierFast(x, q, shift),
                    x + " * " + q + " << " + shift);
        }
    }

    @Test
    void singleRoundingEqualsBigIntegerFloorOfProductPlusHalf() {
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 200_000; i++) {
            int multiplier = r.nextInt(1 << 30, Integer.MAX_VALUE);
            int shift = r.nextInt(-31, 31);
            int x = randomInt(r);
            int total = 31 - shift;
            BigInteger num = BigInteger.valueOf(x).multiply(BigInteger.valueOf(multiplier)).add(TWO.pow(total - 1));
            int expected = saturate(floorDiv(num, TWO.pow(total)));
            assertEquals(expected, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(x, multiplier, shift), x + " * " + multiplier + " << " + shift);
        }
        // One rounding: 3 * 0.25 = 0.75 -> 1 where the two-step form gives round(round(3 * 0.5) / 2) = round(2 / 2) = 1,
        // and 5 * 0.3 = 1.5 -> 2; the two-step form can land one off near a tie: 1 * 0.3 via q = 0.6, right = 1
        // rounds 0.6 to 1, then 1 / 2 = 0.5 away from zero to 1, where round(0.3) = 0.
        FixedPoint.QuantizedMultiplier m = FixedPoint.quantizeMultiplier(0.3);
        assertEquals(0, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(1, m.multiplier(), m.shift()));
        assertEquals(1, FixedPoint.multiplyByQuantizedMultiplier(1, m));
    }

    @Test
    void requantizationIsWithinOneOfTheExactProductWhenNothingSaturates() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200_000; i++) {
            double m = Math.pow(2, -r.nextDouble(0, 24)) * r.nextDouble(0.5, 1);
            FixedPoint.QuantizedMultiplier q = FixedPoint.quantizeMultiplier(m);
            int x = r.nextInt(-(1 << 24), 1 << 24);
            double exact = x * q.value();
            int got = FixedPoint.multiplyByQuantizedMultiplier(x, q);
            assertTrue(Math.abs(got - exact) <= 1.0, x + " * " + m + ": " + got + " vs " + exact);
            assertTrue(Math.abs(got - x * m) <= 1.0 + Math.abs(x) * m * 0x1p-30, x + " * " + m);
        }
    }

    @Test
    void quantizeMultiplierKeepsThirtyOneBitsAndRenormalisesRoundUps() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double m = Math.pow(2, r.nextDouble(-31, 29.9));
            FixedPoint.QuantizedMultiplier q = FixedPoint.quantizeMultiplier(m);
            assertTrue(q.multiplier() >= (1 << 30), "normalised: " + q);
            assertTrue(Math.abs(q.value() - m) <= m * 0x1p-31, m + " -> " + q);
            assertTrue(q.shift() >= -31 && q.shift() <= 30, "shift " + q);
        }
        // q * 2^31 rounds up to 2^31: renormalised to 2^30 with one more shift, as TFLite does.
        FixedPoint.QuantizedMultiplier up = FixedPoint.quantizeMultiplier(1 - 0x1p-34);
        assertEquals(1 << 30, up.multiplier());
        assertEquals(1, up.shift());
        assertEquals(new FixedPoint.QuantizedMultiplier(1 << 30, 0), FixedPoint.quantizeMultiplier(0.5));
        assertEquals(new FixedPoint.QuantizedMultiplier(0, 0), FixedPoint.quantizeMultiplier(0));
        assertEquals(new FixedPoint.QuantizedMultiplier(1 << 30, -31), FixedPoint.quantizeMultiplier(0x1p-32)); // shift -31 kept
        assertEquals(new FixedPoint.QuantizedMultiplier(0, 0), FixedPoint.quantizeMultiplier(0x1p-33)); // shift -32: flushed
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplier(-1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplier(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplier(0x1p30));
    }
}
