package org.edgeq.study;

import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;

/**
 * How a study turns the names in a {@link BaseModelSpec} (architecture, preset) into a model configuration and the
 * preset's training defaults; the command line supplies its own choices, so that a study's base model is the model
 * edgeq train makes from the same names.
 */
public interface Architectures {

    /** The architecture {@code model} under {@code preset} for inputs of {@code inputShape}; bad names raise BadUsageException. */
    ModelConfig config(String model, String preset, int[] inputShape, int outputs, Task task);

    /** Epochs when the base model gives none. */
    int defaultEpochs(String preset, Task task);

    /** Samples per step when the base model gives none. */
    int defaultBatchSize(String model);
}
