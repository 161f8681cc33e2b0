package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/**
 * The neural-network family of the {@link Backend} SPI: activations, convolution and pooling (NCHW), batch
 * normalisation, dropout, and the losses with their gradients, each forward op next to its backward.
 */
public sealed interface NnOps permits Backend {

    // ---- activations ----

    /** y = max(x, 0); y may be x. */
    void relu(Tensor x, Tensor y);

    /** dx = dy where y > 0 else 0 (y is the ReLU output); dx may be dy. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    // ---- convolution (NCHW) ----

    /**
     * y = conv(x, weight) + bias. x [N, C, H, W], weight [O, C, K, K], bias [O] or null, y [N, O, OH, OW].
     * {@code workspace} is scratch of at least {@link #conv2dWorkspaceFloats} floats, owned by the caller so that
     * the training loop does not allocate.
     */
    void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace);

    /**
     * Gradients of conv2d. dx may be null (first layer); dWeight and dBias (nullable) are overwritten, not
     * accumulated.
     */
    void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias,
                        ConvGeometry g, Tensor workspace);

    /** Floats of scratch conv2d and conv2dBackward need for geometry {@code g}. */
    long conv2dWorkspaceFloats(ConvGeometry g);

    // ---- pooling (NCHW) ----

    /** y = max over each window; argmax (I32, same numel as y) records the flat input index chosen. */
    void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g);

    /** dx = 0 then dx[argmax[i]] += dy[i]. */
    void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g);

    // ---- normalisation ----

    /**
     * Batch normalisation over every axis but the channel axis. x is [N, C] (BatchNorm1d) or [N, C, H, W]
     * (BatchNorm2d); gamma, beta, runningMean, runningVar, saveMean, saveInvStd have C elements.
     * Training: uses batch statistics (biased variance for normalising), updates running stats with
     * {@code momentum} as PyTorch does (running = (1 - momentum) * running + momentum * batch, with the unbiased
     * variance), and stores mean and 1/sqrt(var + eps) in saveMean/saveInvStd for the backward pass.
     * Inference: normalises with the running statistics; save tensors are untouched.
     */
    void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                   Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps);

    /** Gradients of training-mode batchNorm; dGamma and dBeta are overwritten. */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    // ---- dropout ----

    /**
     * Inverted dropout: mask[i] = 0 with probability p else 1 / (1 - p), y = x * mask. The decision for element
     * i depends only on (seed, offset + i) through a counter-based generator, so every backend draws the same mask.
     */
    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset);

    /** dx = dy * mask; dx may be dy. */
    void dropoutBackward(Tensor dy, Tensor mask, Tensor dx);

    // ---- losses ----

    /**
     * Mean softmax cross-entropy of logits [N, K] against labels (I32, N entries in 0..K-1). Writes the gradient
     * of the mean loss with respect to the logits into dLogits (may be null) and returns the mean loss.
     * Numerically stable (max subtracted). A label outside 0..K-1 throws IllegalArgumentException.
     */
    double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits);

    /** Row-wise argmax of a [N, K] matrix into an I32 tensor of N entries. */
    void argmaxRows(Tensor x, Tensor out);

    /**
     * Mean squared error over all elements of pred and target (same shape); writes d(mean)/d(pred) into dPred
     * (may be null) and returns the mean.
     */
    double meanSquaredError(Tensor pred, Tensor target, Tensor dPred);

    /**
     * Mean over rows of KL(softmax(teacherLogits / T) || softmax(logits / T)) for [N, K] logits, the soft-target
     * term of knowledge distillation (Hinton et al. 2015), computed stably (max subtracted, 0 log 0 = 0). Writes the
     * gradient of that mean with respect to {@code logits}, (softmax(logits / T) - softmax(teacherLogits / T)) / (T N),
     * into dLogits (may be null) and returns the mean. {@code temperature} must be positive and finite.
     */
    double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits);
}
