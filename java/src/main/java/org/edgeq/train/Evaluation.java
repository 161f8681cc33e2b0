package org.edgeq.train;

/**
 * Figures of a model on one dataset: mean loss always; accuracy for classification, MSE and R² for regression
 * (NaN where not applicable).
 */
public record Evaluation(int samples, double loss, double accuracy, double mse, double r2) {
}
