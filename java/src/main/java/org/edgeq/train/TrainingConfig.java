package org.edgeq.train;

/**
 * Hyper-parameters of one training run.
 *
 * @param epochs                 passes over the training split
 * @param batchSize              samples per step
 * @param learningRate           base learning rate, shaped per epoch by {@code schedule}
 * @param schedule               learning-rate schedule
 * @param optimizer              optimiser and its own settings
 * @param weightDecay            L2 (Adam, SGD) or decoupled (AdamW) weight decay
 * @param seed                   seeds the per-epoch shuffling; with the model seed it fixes the run on the CPU backend
 * @param earlyStoppingPatience  epochs without a lower validation loss before stopping (0 = off); when on, the
 *                               best weights are restored at the end
 */
public record TrainingConfig(int epochs, int batchSize, float learningRate, LearningRateSchedule schedule,
                             OptimizerSpec optimizer, float weightDecay, long seed, int earlyStoppingPatience) {
    public TrainingConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(learningRate > 0f) || !Float.isFinite(learningRate)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (!(weightDecay >= 0f)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (earlyStoppingPatience < 0) throw new IllegalArgumentException("early-stopping patience must be >= 0, got " + earlyStoppingPatience);
        if (schedule == null) schedule = new LearningRateSchedule.Constant();
        if (optimizer == null) optimizer = OptimizerSpec.Adam.defaults();
    }

    /** The seed's recipe: Adam lr 1e-3, batch 16, 10 epochs, constant rate, no early stopping. */
    public static TrainingConfig seedDefaults(long seed) {
        return new TrainingConfig(10, 16, 1e-3f, new LearningRateSchedule.Constant(), OptimizerSpec.Adam.defaults(), 0f, seed, 0);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batchSize, learningRate, schedule, optimizer, weightDecay, seed, earlyStoppingPatience);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(epochs, b, learningRate, schedule, optimizer, weightDecay, seed, earlyStoppingPatience);
    }

    public TrainingConfig withLearningRate(float lr) {
        return new TrainingConfig(epochs, batchSize, lr, schedule, optimizer, weightDecay, seed, earlyStoppingPatience);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, schedule, optimizer, weightDecay, s, earlyStoppingPatience);
    }

    public TrainingConfig withEarlyStopping(int patience) {
        return new TrainingConfig(epochs, batchSize, learningRate, schedule, optimizer, weightDecay, seed, patience);
    }

    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return new TrainingConfig(epochs, batchSize, learningRate, s, optimizer, weightDecay, seed, earlyStoppingPatience);
    }

    public TrainingConfig withOptimizer(OptimizerSpec o, float decay) {
        return new TrainingConfig(epochs, batchSize, learningRate, schedule, o, decay, seed, earlyStoppingPatience);
    }
}
