package org.edgeq.study;

import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Task;
import org.edgeq.train.EpochStats;
import org.edgeq.train.Evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/** The final figures model.json records for a trained model, as edgeq train and the study's base models record them. */
public final class TrainedMetrics {
    private TrainedMetrics() {
    }

    /**
     * The last epoch's training figures, the test figures (test MSE in the target's own units) and the training
     * seconds, by their model.json names.
     */
    public static Map<String, Double> of(EpochStats last, Evaluation test, Task task, TrainingMetadata.TargetScale targetScale,
                                         double seconds) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", last.trainLoss());
        metrics.put("train_acc", last.trainAccuracy());
        metrics.put("val_loss", last.valLoss());
        metrics.put("test_loss", test.loss());
        if (task == Task.CLASSIFICATION) {
            metrics.put("test_acc", test.accuracy());
        } else {
            metrics.put("test_mse", test.mse() * targetScale.std() * targetScale.std());
            metrics.put("r2", test.r2());
        }
        metrics.put("seconds", seconds);
        return metrics;
    }
}
