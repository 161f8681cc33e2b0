package org.edgeq.study;

import org.edgeq.checkpoint.TrainingMetadata;

/**
 * Turns a regression model's errors from the units it was trained to predict back into the target's own units (the
 * data file's), undoing the target scaling recorded with the model. The one place that knows every target scaling:
 * a new one (a preset that divides or min-max scales the target) multiplies into {@link #scale}.
 *
 * @param scale how many of the target's own units one unit of the model's output is (its training std)
 */
public record TargetUnits(double scale) {

    public TargetUnits {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("a target scale must be positive, got " + scale);
    }

    /** The units of a model trained with {@code meta}: the target standardisation's std, 1 when there was none. */
    public static TargetUnits of(TrainingMetadata meta) {
        return new TargetUnits(meta.targetScale() == null ? 1 : meta.targetScale().std());
    }

    /** A mean squared error in the model's units, in the target's own squared units. */
    public double mse(double modelUnitsMse) {
        return modelUnitsMse * scale * scale;
    }
}
