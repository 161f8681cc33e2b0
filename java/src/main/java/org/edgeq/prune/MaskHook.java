package org.edgeq.prune;

import org.edgeq.train.TrainingHook;

/**
 * Holds pruning masks through fine-tuning: after every optimizer step the masked weights are zeroed again, so they
 * stay exactly zero however the optimizer (momentum, Adam's moments, weight decay) moves them. The optimizer's
 * state for them is left alone: whatever it holds is wiped from the weight each step.
 */
public final class MaskHook implements TrainingHook {
    private final PruningMasks masks;

    public MaskHook(PruningMasks masks) {
        this.masks = masks;
    }

    @Override
    public void afterOptimizerStep(long step) {
        masks.apply();
    }
}
