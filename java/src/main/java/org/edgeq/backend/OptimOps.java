package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/** The optimiser family of the {@link Backend} SPI: one update step, in place on the parameter and its state. */
public sealed interface OptimOps permits Backend {

    /**
     * One Adam step; {@code step} counts from 1 for bias correction. m and v are the first and second moment
     * buffers, same shape as param.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step);

    /**
     * One SGD step with momentum (PyTorch's formulation): g = grad + weightDecay * param;
     * velocity = momentum * velocity + g; param -= lr * velocity (nesterov: param -= lr * (g + momentum * velocity)).
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                 float weightDecay, boolean nesterov);
}
