package org.edgeq.metrics;

import org.edgeq.tensor.Shape;

/**
 * One layer's counts in a {@link ModelProfile}.
 *
 * @param path           state-dict prefix, e.g. {@code net.0}
 * @param type           PyTorch-like class name
 * @param outputShape    per-sample output shape
 * @param parameters     trainable elements (weight and bias, batch norm's scale and shift)
 * @param nonzeros       of those, how many are not exactly zero
 * @param weights        elements of the weight of a Linear or Conv2d layer (0 for other layers)
 * @param nonzeroWeights of those, how many are not exactly zero
 * @param denseMacs      multiply-accumulates per sample as if every weight were non-zero ({@link MacCount})
 * @param effectiveMacs  multiply-accumulates per sample with zero weights skipped: dense x the non-zero weight fraction
 * @param weightBits     width of the weights the layer computes with (32 for FP)
 * @param activationBits width of its input activations (32 unless quantized)
 * @param storedBytes    bytes its parameters and buffers take where they are stored (F32: 4 per element; an export:
 *                       the encoded bytes)
 */
public record LayerProfile(String path, String type, Shape outputShape, long parameters, long nonzeros, long weights,
                           long nonzeroWeights, long denseMacs, long effectiveMacs, int weightBits, int activationBits,
                           long storedBytes) {

    /** Fraction of the weight that is exactly zero; 0 for a layer without a weight. */
    public double weightSparsity() {
        return weights == 0 ? 0 : (double) (weights - nonzeroWeights) / weights;
    }

    /** Bit-operations per sample: effective MACs x weight bits x activation bits. */
    public long bops() {
        return Math.multiplyExact(effectiveMacs, (long) weightBits * activationBits);
    }

    /** Whether the layer multiplies by a weight (Linear, Conv2d). */
    public boolean hasWeight() {
        return weights > 0;
    }

    /** The same layer computing at other widths. */
    public LayerProfile withBits(int w, int a) {
        return new LayerProfile(path, type, outputShape, parameters, nonzeros, weights, nonzeroWeights, denseMacs, effectiveMacs,
                w, a, storedBytes);
    }
}
