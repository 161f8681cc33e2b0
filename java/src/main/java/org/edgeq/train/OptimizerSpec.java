package org.edgeq.train;

/** Which optimiser to train with and its own hyper-parameters (learning rate and weight decay live in {@link TrainingConfig}). */
public sealed interface OptimizerSpec permits OptimizerSpec.Adam, OptimizerSpec.Sgd {

    /** Adam; {@code decoupled} selects AdamW's weight decay. */
    record Adam(float beta1, float beta2, float epsilon, boolean decoupled) implements OptimizerSpec {
        public static Adam defaults() {
            return new Adam(0.9f, 0.999f, 1e-8f, false);
        }

        public static Adam adamW() {
            return new Adam(0.9f, 0.999f, 1e-8f, true);
        }
    }

    /** SGD with (optionally Nesterov) momentum, PyTorch's formulation. */
    record Sgd(float momentum, boolean nesterov) implements OptimizerSpec {
    }
}
