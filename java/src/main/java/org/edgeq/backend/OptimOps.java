package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/** The optimiser family of the {@link Backend} SPI: one update step, in place on the parameter and its state. */
public sealed interface OptimOps permits Backend {

    /**
     * One Adam step (Kingma and Ba 2015); {@code step} counts from 1 for bias correction. m and v are the first and
     * second moment buffers, same shape as param. {@code decoupledWeightDecay} selects AdamW (Loshchilov and Hutter
     * 2019: decay applied to the weights directly) instead of L2 added to the gradient, which is what PyTorch's
     * {@code Adam(weight_decay=...)} does. The user's choice of these numbers is {@code train.OptimizerSpec.Adam}.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                  float epsilon, float weightDecay, boolean decoupledWeightDecay, int step);

    /**
     * One SGD step with momentum (PyTorch's formulation): g = grad + weightDecay * param;
     * velocity = momentum * velocity + g; param -= lr * velocity (nesterov: param -= lr * (g + momentum * velocity)).
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                 float weightDecay, boolean nesterov);
}
