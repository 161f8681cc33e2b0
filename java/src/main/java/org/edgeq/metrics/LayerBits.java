package org.edgeq.metrics;

import java.util.Map;

/**
 * The operand widths each weight layer computes with, for bit-operations (BOPs = MACs x weight bits x activation
 * bits): a width for every layer, overridden per layer path (an export whose first and last layers stayed FP32, say).
 * Full precision is 32 bits; activations that are not quantized are 32 bits.
 *
 * @param weightBits           weight bits of layers not listed
 * @param activationBits       input activation bits of layers not listed
 * @param weightBitsByLayer    per layer path, e.g. {@code net.0}
 * @param activationBitsByLayer per layer path
 */
public record LayerBits(int weightBits, int activationBits, Map<String, Integer> weightBitsByLayer,
                        Map<String, Integer> activationBitsByLayer) {
    /** Full precision: 32-bit weights and activations. */
    public static final LayerBits FP32 = uniform(32, 32);

    public LayerBits {
        check(weightBits, "weight");
        check(activationBits, "activation");
        weightBitsByLayer = Map.copyOf(weightBitsByLayer);
        activationBitsByLayer = Map.copyOf(activationBitsByLayer);
        weightBitsByLayer.forEach((k, v) -> check(v, "weight (" + k + ")"));
        activationBitsByLayer.forEach((k, v) -> check(v, "activation (" + k + ")"));
    }

    private static void check(int bits, String what) {
        if (bits < 1 || bits > 32) throw new IllegalArgumentException(what + " bits must be 1..32, got " + bits);
    }

    /** The same widths for every layer. */
    public static LayerBits uniform(int weightBits, int activationBits) {
        return new LayerBits(weightBits, activationBits, Map.of(), Map.of());
    }

    /** A results row's widths: null weight bits mean FP32, null activation bits mean activations are not quantized (32). */
    public static LayerBits ofRow(Integer weightBits, Integer activationBits) {
        return uniform(weightBits == null ? 32 : weightBits, activationBits == null ? 32 : activationBits);
    }

    public int weightBits(String layer) {
        return weightBitsByLayer.getOrDefault(layer, weightBits);
    }

    public int activationBits(String layer) {
        return activationBitsByLayer.getOrDefault(layer, activationBits);
    }
}
