package org.edgeq.train;

import org.edgeq.tensor.Tensor;

/**
 * A method that changes how a model trains without changing the training loop: quantization-aware training swaps
 * quantized weights in for the forward pass and the full-precision shadow weights back before the update, pruning
 * re-applies its masks after every update and moves its sparsity schedule, distillation runs the teacher on the
 * batch. Every method defaults to doing nothing; {@code step} counts optimizer steps from 1 across epochs.
 */
public interface TrainingHook {

    /** Before the forward pass of a training batch {@code x} (rows of the current batch). */
    default void beforeForward(Tensor x, int epoch, long step) {
    }

    /** After backward, before the optimizer update: gradients are in the parameters' grad tensors. */
    default void beforeOptimizerStep(long step) {
    }

    /** After the optimizer has updated every parameter. */
    default void afterOptimizerStep(long step) {
    }

    /** Before the end-of-epoch validation pass, e.g. to validate the quantized model. */
    default void beforeValidation(int epoch) {
    }

    /** After the end-of-epoch validation pass and before the best weights are captured: restore what training updates. */
    default void afterValidation(int epoch) {
    }
}
