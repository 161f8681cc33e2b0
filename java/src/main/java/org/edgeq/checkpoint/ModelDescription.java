package org.edgeq.checkpoint;

import org.edgeq.nn.ModelConfig;

/** The content of a model directory's {@code model.json}: the architecture to rebuild and the training record. */
public record ModelDescription(int formatVersion, ModelConfig config, TrainingMetadata training) {

    public static final int FORMAT_VERSION = 1;

    public ModelDescription(ModelConfig config, TrainingMetadata training) {
        this(FORMAT_VERSION, config, training);
    }
}
