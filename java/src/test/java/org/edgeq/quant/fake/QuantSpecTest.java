package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Quantization recipes: code ranges, observer-derived parameters and the inputs they refuse. */
class QuantSpecTest {

    @Test
    void symmetricGridsAreRestrictedAndAsymmetricOnesUnsigned() {
        assertEquals(-7, QuantSpec.weights(4).qmin());
        assertEquals(7, QuantSpec.weights(4).qmax());
        assertEquals(-127, QuantSpec.weights(8).qmin());
        assertEquals(0, QuantSpec.activations(8).qmin());
        assertEquals(255, QuantSpec.activations(8).qmax());
        assertEquals(65535, QuantSpec.activations(16).qmax());
    }

    @Test
    void parametersFollowTorchObserversOnHandWorkedRanges() {
        // Asymmetric 8-bit over [-1, 3]: scale 4/255, zero point 0 - round(-1 / (4/255)) = 64 (63.75 rounds up).
        QuantSpec a8 = QuantSpec.activations(8);
        float s = QuantParams.scale(-1f, 3f, a8);
        assertEquals(4f / 255f, s);
        assertEquals(64, QuantParams.zeroPoint(-1f, s, a8));
        // A positive-only range still includes 0: [2, 5] -> [0, 5].
        assertEquals(5f / 255f, QuantParams.scale(2f, 5f, a8));
        assertEquals(0, QuantParams.zeroPoint(2f, QuantParams.scale(2f, 5f, a8), a8));
        // Symmetric 4-bit over [-3, 1.5]: scale 3 / 7, zero point 0.
        assertEquals(3f / 7f, QuantParams.scale(-3f, 1.5f, QuantSpec.weights(4)));
        // A constant-zero tensor gets the smallest scale instead of dividing by zero.
        assertEquals(Math.ulp(1f), QuantParams.scale(0f, 0f, a8));
    }

    @Test
    void badRecipesAreRefusedNamingTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantSpec.weights(1));
        assertTrue(e.getMessage().contains("bits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.activations(17));
        e = assertThrows(IllegalArgumentException.class, () -> new QuantSpec(8, false, false, ObserverKind.MIN_MAX, 0.01f, true));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QatConfig(null, null, 0, 1e-3f));
    }
}
