package org.edgeq.quant.fake;

import org.edgeq.quant.observe.ObserverKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Quantization recipes: code ranges and the inputs they refuse. */
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
    void badRecipesAreRefusedNamingTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantSpec.weights(1));
        assertTrue(e.getMessage().contains("bits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.activations(17));
        e = assertThrows(IllegalArgumentException.class, () -> new QuantSpec(8, false, false, ObserverKind.CURRENT, 0.01f, true));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QatConfig(null, null, 0, 1e-3f));
        // Percentile and MSE ranges need whole tensors: they reach fake quantizers through calibration only.
        e = assertThrows(IllegalArgumentException.class, () -> new QuantSpec(8, false, false, ObserverKind.PERCENTILE, 0.01f, false));
        assertTrue(e.getMessage().contains("fold extremes"), e.getMessage());
    }
}
