package org.edgeq.backend;

/**
 * Hyper-parameters of one Adam step (Kingma and Ba 2015). {@code decoupledWeightDecay} selects AdamW
 * (Loshchilov and Hutter 2019: decay applied to the weights directly) instead of L2 added to the gradient,
 * which is what PyTorch's {@code Adam(weight_decay=...)} does.
 */
public record AdamConfig(float learningRate, float beta1, float beta2, float epsilon, float weightDecay,
                         boolean decoupledWeightDecay) {
    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamConfig defaults() {
        return new AdamConfig(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    public AdamConfig withLearningRate(float lr) {
        return new AdamConfig(lr, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay);
    }
}
