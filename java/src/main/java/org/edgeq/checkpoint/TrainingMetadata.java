package org.edgeq.checkpoint;

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
 * @param featureMeans standardiser means fitted on the training split (empty if features were not standardised)
 * @param featureStds  standardiser standard deviations, same length as the means
 * @param targetScale  regression only: the target's mean and standard deviation on the training split, which the
 *                     model was trained to predict in units of (null for classification)
 * @param seed         the run's seed (split, initial weights, shuffling)
 * @param settings     the training options as given, e.g. epochs, lr, optimizer
 * @param metrics      final figures, e.g. test_acc, test_loss, r2, seconds
 */
public record TrainingMetadata(String dataset, String source, Task task, List<String> classNames, float[] featureMeans,
                               float[] featureStds, TargetScale targetScale, long seed, Map<String, String> settings,
                               Map<String, Double> metrics) {

    public TrainingMetadata {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        featureMeans = featureMeans == null ? new float[0] : featureMeans;
        featureStds = featureStds == null ? new float[0] : featureStds;
        settings = settings == null ? Map.of() : settings;
        metrics = metrics == null ? Map.of() : metrics;
        if (featureMeans.length != featureStds.length) {
            throw new IllegalArgumentException(featureMeans.length + " feature means but " + featureStds.length + " deviations");
        }
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
        return new TrainingMetadata(dataset, source, task, classNames, featureMeans, featureStds, targetScale, seed, settings, m);
    }
}
