package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Tensor;

/** A training objective on a batch: the mean loss and its gradient with respect to the model output. */
@FunctionalInterface
public interface Loss {

    /** Returns the mean loss over the batch and writes d(loss)/d(output) into {@code dOutput} (nullable). */
    double compute(Backend backend, Tensor output, Tensor target, Tensor dOutput);

    /** Softmax cross-entropy of logits [N, K] against I32 labels [N]. */
    record CrossEntropy() implements Loss {
        @Override
        public double compute(Backend backend, Tensor output, Tensor target, Tensor dOutput) {
            return backend.softmaxCrossEntropy(output, target, dOutput);
        }
    }

    /** Mean squared error of predictions [N, 1] against F32 targets [N, 1]. */
    record MeanSquaredError() implements Loss {
        @Override
        public double compute(Backend backend, Tensor output, Tensor target, Tensor dOutput) {
            return backend.meanSquaredError(output, target, dOutput);
        }
    }
}
