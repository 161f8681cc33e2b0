package org.edgeq.train;

/** Which optimiser to train with and its own hyper-parameters (learning rate and weight decay live in {@link TrainingConfig}). */
public sealed interface OptimizerSpec permits OptimizerSpec.Adam, OptimizerSpec.Sgd {

    /**
     * Adam (Kingma and Ba 2015), the one description of it: {@link Optimizer.AdamOptimizer} trains with it and
     * {@code Backend.adamStep} takes its numbers. {@code decoupled} selects AdamW's weight decay (Loshchilov and
     * Hutter 2019: decay applied to the weights directly) instead of L2 added to the gradient, which is what
     * PyTorch's {@code Adam(weight_decay=...)} does.
     */
    record Adam(float beta1, float beta2, float epsilon, boolean decoupled) implements OptimizerSpec {
        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, L2 weight decay (its lr default, 1e-3, is the caller's). */
        public static Adam defaults() {
            return new Adam(0.9f, 0.999f, 1e-8f, false);
        }

        /** PyTorch's AdamW defaults for betas and eps, with decoupled weight decay. */
        public static Adam adamW() {
            return new Adam(0.9f, 0.999f, 1e-8f, true);
        }
    }

    /** SGD with (optionally Nesterov) momentum, PyTorch's formulation; {@link Optimizer.SgdOptimizer} trains with it. */
    record Sgd(float momentum, boolean nesterov) implements OptimizerSpec {
    }
}
