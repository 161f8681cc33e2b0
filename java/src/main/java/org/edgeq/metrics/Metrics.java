package org.edgeq.metrics;

/** Small, exact metric formulas shared by training, evaluation and reports. */
public final class Metrics {
    private Metrics() {
    }

    /** Index of the largest of {@code k} values starting at {@code offset} (first one wins ties, like PyTorch's argmax). */
    public static int argmax(float[] values, int offset, int k) {
        int best = 0;
        float bestValue = values[offset];
        for (int j = 1; j < k; j++) {
            float v = values[offset + j];
            if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    /** Samples of a [rows, k] logit matrix whose argmax equals the label at {@code labels[labelOffset + row]}. */
    public static int countCorrect(float[] logits, int rows, int k, int[] labels, int labelOffset) {
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            if (argmax(logits, i * k, k) == labels[labelOffset + i]) correct++;
        }
        return correct;
    }

    /** Fraction of equal entries. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        if (labels.length == 0) return Double.NaN;
        int c = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) c++;
        return (double) c / labels.length;
    }

    public static double meanSquaredError(float[] predicted, float[] targets) {
        RegressionAccumulator acc = new RegressionAccumulator();
        acc.add(predicted, targets, 0, predicted.length);
        return acc.meanSquaredError();
    }

    /** Coefficient of determination 1 - SS_res / SS_tot. */
    public static double r2(float[] predicted, float[] targets) {
        RegressionAccumulator acc = new RegressionAccumulator();
        acc.add(predicted, targets, 0, predicted.length);
        return acc.r2();
    }
}
