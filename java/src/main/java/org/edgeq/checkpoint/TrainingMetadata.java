package org.edgeq.checkpoint;

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
 * @param seed         the run's seed (split, initial weights, shuffling)
 * @param settings     the training options as given, e.g. epochs, lr, optimizer
 * @param metrics      final figures, e.g. test_acc, test_loss, r2, seconds
 */
public record TrainingMetadata(String dataset, String source, Task task, List<String> classNames, float[] featureMeans,
                               float[] featureStds, long seed, Map<String, String> settings,
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

    public TrainingMetadata withMetrics(Map<String, Double> m) {
        return new TrainingMetadata(dataset, source, task, classNames, featureMeans, featureStds, seed, settings, m);
    }
}
