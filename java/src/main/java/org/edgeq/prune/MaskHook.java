package org.edgeq.prune;

import org.edgeq.tensor.Tensor;
import org.edgeq.train.TrainingHook;

/**
 * Holds pruning masks through fine-tuning: after every optimizer step the masked elements are zeroed again, so they
 * stay exactly zero however the optimizer (momentum, Adam's moments, weight decay) moves them. The optimizer's
 * state for them is left alone: whatever it holds is wiped from the parameter each step.
 *
 * <p>The masks are also applied before every training forward and validation pass. That costs one backend op per
 * masked tensor and matters only behind a hook that rewrites weights in place there (the seed's QAT quantizes them
 * before each forward, and a quantizer need not have zero among its levels): added after such a hook, this one
 * makes the quantized model it trains and validates keep its removed weights at zero.
 */
public final class MaskHook implements TrainingHook {
    private final PruningMasks masks;

    public MaskHook(PruningMasks masks) {
        this.masks = masks;
    }

    @Override
    public void beforeForward(Tensor x, int epoch, long step) {
        masks.apply();
    }

    @Override
    public void afterOptimizerStep(long step) {
        masks.apply();
    }

    @Override
    public void beforeValidation(int epoch) {
        masks.apply();
    }
}
