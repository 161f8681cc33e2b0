package org.edgeq.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The seed study's data preparation for one of its tabular datasets (its {@code data/*_data.py}), re-expressed for
 * EdgeQ. Unlike EdgeQ's default, whose scaling is fitted on the training split, the seed fitted every scaler on all
 * rows of the file before it split them; a preparation therefore sees the whole loaded dataset.
 */
public interface SeedPreprocessing {

    /** The datasets the seed prepared this way, by the names {@link Datasets} gives them. */
    List<String> DATASETS = List.of("california", "mv", "churn", "telescope");

    /**
     * What the seed's script derives from all rows of {@code loaded}.
     *
     * @throws IllegalArgumentException when {@code loaded} lacks a column or the task the script expects
     */
    Prepared prepare(Dataset loaded);

    /**
     * The prepared data and what to record so it can be rebuilt.
     *
     * @param selection the kept rows and columns ({@link DataSelection#apply} on the loaded data gives {@code rows})
     * @param rows      those rows and columns, unscaled, in file order
     * @param features  the feature scaling, fitted on all of {@code rows}
     * @param target    regression only: the one-column scaling of the target the model is trained to predict (null
     *                  for classification)
     */
    record Prepared(DataSelection selection, Dataset rows, Standardizer features, Standardizer target) {
        /** The feature and target scaling together, as every split and a saved model's later data go through it. */
        public Preprocessing scaling() {
            return new Preprocessing(features, target);
        }
    }

    /** The seed's preparation of the dataset called {@code name}, if the seed had one. */
    static Optional<SeedPreprocessing> forDataset(String name) {
        return Optional.ofNullable(switch (name) {
            case "california" -> new CaliforniaSeedPreprocessing();
            case "mv" -> new MvSeedPreprocessing();
            case "churn" -> new ChurnSeedPreprocessing();
            case "telescope" -> new TelescopeSeedPreprocessing();
            default -> null;
        });
    }

    /** The target used as it is: the one-column scaling y / 1. */
    static Standardizer unscaledTarget() {
        return new Standardizer(new float[]{0f}, new float[]{1f});
    }

    static void requireTask(Dataset loaded, Task task, String script) {
        if (loaded.task() != task) {
            throw new IllegalArgumentException(loaded.name() + ": the seed's " + script + " expects a " + task.name().toLowerCase(Locale.ROOT)
                    + " set, this one is " + loaded.task().name().toLowerCase(Locale.ROOT));
        }
    }
}
