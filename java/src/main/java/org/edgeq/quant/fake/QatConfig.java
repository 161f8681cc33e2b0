package org.edgeq.quant.fake;

import org.edgeq.train.OptimizerSpec;

/**
 * A quantization-aware training recipe (like torch.ao's QConfig plus the training schedule): how weights and
 * activations are fake-quantized, when observers freeze, and how learned step sizes train.
 *
 * @param weights               weight recipe (null: weights stay full precision)
 * @param activations           recipe for every weight layer's input (null: activations stay full precision)
 * @param freezeObserversAfter  epochs after which observers stop collecting ranges (0: never during training;
 *                              {@link QatHook#freeze()} freezes them at export)
 * @param stepSizeLearningRate  Adam learning rate of LSQ step sizes (used only by specs with a learned step)
 */
public record QatConfig(QuantSpec weights, QuantSpec activations, int freezeObserversAfter, float stepSizeLearningRate) {

    public QatConfig {
        if (weights == null && activations == null) throw new IllegalArgumentException("QAT needs a weight or an activation recipe");
        if (freezeObserversAfter < 0) throw new IllegalArgumentException("freezeObserversAfter must be >= 0, got " + freezeObserversAfter);
        if (!(stepSizeLearningRate > 0)) throw new IllegalArgumentException("stepSizeLearningRate must be > 0, got " + stepSizeLearningRate);
    }

    /** W{weightBits}A{activationBits}: per-channel symmetric weights, per-tensor moving-average activations (0 bits: none). */
    public static QatConfig of(int weightBits, int activationBits) {
        return new QatConfig(QuantSpec.weights(weightBits), activationBits == 0 ? null : QuantSpec.activations(activationBits),
                0, 1e-3f);
    }

    /** The same recipe with learned step sizes (LSQ) for weights and activations. */
    public QatConfig withLearnedSteps() {
        return new QatConfig(weights == null ? null : weights.withLearnedStep(),
                activations == null ? null : activations.withLearnedStep(), freezeObserversAfter, stepSizeLearningRate);
    }

    public QatConfig withFreezeAfter(int epochs) {
        return new QatConfig(weights, activations, epochs, stepSizeLearningRate);
    }

    /** Adam of the LSQ step sizes: PyTorch's defaults, no weight decay, at {@link #stepSizeLearningRate}. */
    OptimizerSpec.Adam stepSizeAdam() {
        return OptimizerSpec.Adam.defaults();
    }
}
