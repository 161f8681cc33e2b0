package org.edgeq.train;

/**
 * Figures of one finished epoch (NaN where not applicable: accuracy for regression, R² for classification,
 * validation figures without a validation split).
 *
 * @param epoch 1-based epoch number
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         double valR2, float learningRate, double seconds) {
}
