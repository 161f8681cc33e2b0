package org.edgeq.study;

import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;

import java.util.List;

/**
 * Values of {@code edgeq train --preset}: EdgeQ's own defaults, or the reference study's (the 'seed' study's) models and training as its
 * {@code train_*.py} scripts ran them (its data preparation and split live in the data package,
 * {@link org.edgeq.data.SeedPreprocessing} and {@link org.edgeq.data.SplitPlan.TwoStageRandom}).
 */
public enum PresetChoice {
    EDGEQ("edgeq"),
    SEED("seed");

    /** The reference study's 'complex' network for its regression sets (train_california.py, train_mv.py). */
    public static final List<Integer> SEED_REGRESSION_COMPLEX = List.of(50, 100, 100, 50);
    public static final int EPOCHS = 10;
    /** train_california.py and train_mv.py train 20 epochs; the classification scripts 10. */
    public static final int SEED_REGRESSION_EPOCHS = 20;

    private final String cliName;

    PresetChoice(String cliName) {
        this.cliName = cliName;
    }

    /** Epochs when --epochs is not given. */
    public int epochs(Task task) {
        return this == SEED && task == Task.REGRESSION ? SEED_REGRESSION_EPOCHS : EPOCHS;
    }

    /**
     * The architecture of {@code model}: as {@link ModelChoice#config} gives it, except that the reference study's
     * dense-complex for regression is [50, 100, 100, 50] (dropout 0.1 unless --dropout says otherwise).
     */
    public ModelConfig config(ModelChoice model, int[] inputShape, int outputs, Task task, List<Integer> hidden, Float dropout) {
        ModelConfig c = model.config(inputShape, outputs, hidden, dropout);
        if (this == SEED && model == ModelChoice.DENSE_COMPLEX && task == Task.REGRESSION) {
            return new ModelConfig(c.architecture(), c.inputShape(), c.outputs(), SEED_REGRESSION_COMPLEX, c.dropout(), c.batchNorm());
        }
        return c;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
