package org.edgeq.prune;

import org.edgeq.train.TrainingHook;

/**
 * Gradual magnitude pruning during training: at each pruning step of a {@link PolynomialSchedule} the masks are
 * recomputed by a {@link Pruner} at the scheduled sparsity from the current weights (already removed weights are
 * zero, the smallest magnitudes, so they stay removed), and after every optimizer step the masks are re-applied.
 * Once the schedule ends, training goes on as fine-tuning with the masks held.
 *
 * <p>Use it without early stopping, or re-apply {@link #masks()} afterwards: restoring the best weights of an
 * earlier epoch brings back weights pruned since.
 */
public final class GradualPruning implements TrainingHook {
    private final PruningMasks masks;
    private final Pruner pruner;
    private final PolynomialSchedule schedule;
    private double sparsity;

    public GradualPruning(PruningMasks masks, Pruner pruner, PolynomialSchedule schedule) {
        this.masks = masks;
        this.pruner = pruner;
        this.schedule = schedule;
    }

    @Override
    public void afterOptimizerStep(long step) {
        if (schedule.isPruningStep(step)) {
            sparsity = schedule.sparsityAt(step);
            masks.update(pruner.select(masks.model(), sparsity));
        } else {
            masks.apply();
        }
    }

    /** The sparsity the masks were last set to (0 before the first pruning step). */
    public double currentSparsity() {
        return sparsity;
    }

    public PruningMasks masks() {
        return masks;
    }

    public PolynomialSchedule schedule() {
        return schedule;
    }
}
