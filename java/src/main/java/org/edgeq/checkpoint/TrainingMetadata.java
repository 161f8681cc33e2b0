package org.edgeq.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.edgeq.data.DataSelection;
import org.edgeq.data.Dataset;
import org.edgeq.data.Preprocessing;
import org.edgeq.data.Standardizer;
import org.edgeq.data.Task;

import java.util.List;
import java.util.Map;

/**
 * What a saved model needs besides its architecture to be used and compared again: where its data came from, how
 * the features were standardised, how it was trained and how well it did.
 *
 * @param dataset      name of the dataset the model was trained on (as its split.json records it)
 * @param source       what to pass to {@code --dataset} to load that dataset again (a built-in name or an absolute path)
 * @param task         classification or regression
 * @param classNames   class names in label order (empty for regression)
 * @param featureMeans per-feature offsets of the affine map (x - mean) / std the model's inputs went through: EdgeQ's
 *                     standardiser means fitted on the training split, or under {@code --preset seed} the minima
 *                     (min-max scaling) or means fitted on all selected rows (empty if features were not scaled)
 * @param featureStds  the map's divisors, same length: standard deviations, or ranges for min-max scaling
 * @param targetScale  regression only: the target's mean and standard deviation on the training split, which the
 *                     model was trained to predict in units of, or a preset's fixed scaling such as mean 0 and std
 *                     1000 for thousands (null for classification)
 * @param selection    the columns and rows of the loaded dataset a preset kept, applied before the split and the
 *                     scaling; null when the model saw every row and column (EdgeQ's default, and every model saved
 *                     before presets existed)
 * @param seed         the run's seed (split, initial weights, shuffling)
 * @param settings     the training options as given, e.g. epochs, lr, optimizer
 * @param metrics      final figures, e.g. test_acc, test_loss, r2, seconds
 */
public record TrainingMetadata(String dataset, String source, Task task, List<String> classNames, float[] featureMeans,
                               float[] featureStds, TargetScale targetScale,
                               @JsonInclude(JsonInclude.Include.NON_NULL) DataSelection selection, long seed,
                               Map<String, String> settings, Map<String, Double> metrics) {

    public TrainingMetadata {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        featureMeans = featureMeans == null ? new float[0] : featureMeans;
        featureStds = featureStds == null ? new float[0] : featureStds;
        settings = settings == null ? Map.of() : settings;
        metrics = metrics == null ? Map.of() : metrics;
        if (featureMeans.length != featureStds.length) {
            throw new IllegalArgumentException(featureMeans.length + " feature means but " + featureStds.length + " deviations");
        }
        for (int i = 0; i < featureMeans.length; i++) {
            if (!Float.isFinite(featureMeans[i]) || !Float.isFinite(featureStds[i]) || featureStds[i] == 0f) {
                throw new IllegalArgumentException("feature " + i + " scaling (mean " + featureMeans[i] + ", std " + featureStds[i]
                        + ") must be finite with a non-zero std");
            }
        }
    }

    /** Metadata of a model that saw every row and column of its dataset (no {@link #selection}). */
    public TrainingMetadata(String dataset, String source, Task task, List<String> classNames, float[] featureMeans,
                            float[] featureStds, TargetScale targetScale, long seed, Map<String, String> settings,
                            Map<String, Double> metrics) {
        this(dataset, source, task, classNames, featureMeans, featureStds, targetScale, null, seed, settings, metrics);
    }

    /** The rows and columns this model was trained and tested on, selected from the freshly {@code loaded} dataset. */
    public Dataset select(Dataset loaded) {
        return selection == null ? loaded : selection.apply(loaded);
    }

    /** The scaling this model's inputs and targets went through, to apply to any rows it is used on again. */
    public Preprocessing preprocessing() {
        return new Preprocessing(featureMeans.length == 0 ? null : new Standardizer(featureMeans, featureStds),
                targetScale == null ? null : targetScale.standardizer());
    }

    /** A regression target's standardisation: the model predicts (y - mean) / std. */
    public record TargetScale(double mean, double std) {
        public TargetScale {
            if (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException("target scale needs a finite mean and a positive std, got " + mean + ", " + std);
            }
        }

        /** The scale {@link Standardizer#fitTargets} fitted. */
        public static TargetScale of(Standardizer targets) {
            if (targets.featureCount() != 1) throw new IllegalArgumentException("a target standardizer has one column, got " + targets.featureCount());
            return new TargetScale(targets.mean()[0], targets.std()[0]);
        }

        /** The one-column standardizer to apply with {@link Standardizer#applyToTargets}. */
        public Standardizer standardizer() {
            return new Standardizer(new float[]{(float) mean}, new float[]{(float) std});
        }
    }

    public TrainingMetadata withMetrics(Map<String, Double> m) {
        return new TrainingMetadata(dataset, source, task, classNames, featureMeans, featureStds, targetScale, selection, seed, settings, m);
    }
}
