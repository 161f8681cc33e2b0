package org.edgeq.nn;

import java.util.List;

/**
 * Everything needed to rebuild a model's architecture (saved as JSON beside its safetensors weights).
 *
 * @param architecture one of dense, cnn-seed, cnn-small, resnet9
 * @param inputShape   per-sample input, e.g. [10] for tabular data or [1, 28, 28] for images
 * @param outputs      classes for classification, 1 for regression
 * @param hidden       hidden layer widths (dense only; empty otherwise)
 * @param dropout      dropout probability after each hidden layer (0 = none)
 * @param batchNorm    batch normalisation after each hidden linear layer (dense only)
 */
public record ModelConfig(String architecture, int[] inputShape, int outputs, List<Integer> hidden,
                          float dropout, boolean batchNorm) {
}
