package org.edgeq.study;

import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.Preprocessing;
import org.edgeq.data.SeedPreprocessing;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SplitPlan;
import org.edgeq.data.Standardizer;
import org.edgeq.data.Task;

import java.io.IOException;
import java.util.Map;

/**
 * A dataset prepared for training as edgeq train and a study's base models prepare it: loaded, prepared as the
 * seed did under its preset, split (seeded), cut to a seeded stratified sample of {@code limit} rows, features standardised and regression targets
 * scaled. The training command and the study's base-model cache both start here, so a study's base model is the
 * model edgeq train would make with the same settings.
 *
 * @param loaded      the dataset as loaded, before the seed's preparation
 * @param all         the rows and columns trained on (the seed preset may keep fewer)
 * @param source      where the data came from, for the progress line
 * @param split       the rows of each split (indices into {@code all})
 * @param train       the training split, standardised
 * @param validation  the validation split, standardised; null when it is empty
 * @param test        the test split, standardised
 * @param scaling     the scaling of features and regression targets, fitted as the preset says
 * @param seedData    the seed's preparation under {@code --preset seed}; null otherwise
 */
public record TrainingData(Dataset loaded, Dataset all, String source, SplitIndices split, Dataset train, Dataset validation,
                           Dataset test, Preprocessing scaling, SeedPreprocessing.Prepared seedData) {

    /**
     * Loads and prepares {@code dataset} (a name or a file; {@code target} names a generic CSV's target column).
     * Bad input raises BadInputException, bad usage (an unknown name, the seed preset on a dataset the seed did not
     * prepare) BadUsageException.
     */
    public static TrainingData prepare(Datasets registry, String dataset, String target, boolean seedPreset, long seed, int limit)
            throws IOException {
        Datasets.Resolved resolved = DataLoading.load(registry, dataset, target);
        SeedPreprocessing.Prepared seedData = seedPreset ? seedPreparation(resolved.dataset()) : null;
        Dataset all = seedData == null ? resolved.dataset() : seedData.rows();
        requireClasses(resolved.source(), all);
        SplitPlan plan = seedData == null ? resolved.splitPlan() : SplitPlan.TwoStageRandom.SEED;
        SplitIndices split = limited(all, plan.apply(all, seed), limit, seed);
        // EdgeQ fits its scaling on the training split; the reference study fitted its scalers on every row before splitting.
        Preprocessing scaling = seedData != null ? seedData.scaling() : Preprocessing.fit(all, split.train());
        Dataset valSet = split.validation().length == 0 ? null : scaling.apply(all.subset(split.validation()));
        return new TrainingData(resolved.dataset(), all, resolved.source(), split, scaling.apply(all.subset(split.train())), valSet,
                scaling.apply(all.subset(split.test())), scaling, seedData);
    }

    /** A classifier needs two classes at least; one class would train a 1-output model that says nothing. */
    static void requireClasses(String source, Dataset all) {
        if (all.task() != Task.CLASSIFICATION || all.numClasses() >= 2) return;
        String only = all.classNames().isEmpty() ? "" : " ('" + all.classNames().get(0) + "')";
        throw new BadInputException(source + ": the labels hold " + (all.numClasses() == 1 ? "a single class" + only : "no class")
                + "; classification needs at least two");
    }

    /** Outputs of a model for this data: the classes, or one for regression. */
    public int outputs() {
        return all.task() == Task.CLASSIFICATION ? all.numClasses() : 1;
    }

    /** The regression target's scaling as model.json records it; null for classification. */
    public TrainingMetadata.TargetScale targetScale() {
        return scaling.target() == null ? null : TrainingMetadata.TargetScale.of(scaling.target());
    }

    /** What model.json records about the data, its scaling and the training ({@code settings}), without metrics yet. */
    public TrainingMetadata metadata(String datasetArg, long seed, Map<String, String> settings) {
        Standardizer features = scaling.features();
        return new TrainingMetadata(all.name(), DataLoading.source(datasetArg), all.task(), all.classNames(),
                features == null ? null : features.mean(), features == null ? null : features.std(),
                targetScale(), seedData == null ? null : seedData.selection(), seed, settings, Map.of());
    }

    /**
     * With a limit, a seeded random subset of the split: N training rows and N/4 validation and test rows, classes in
     * proportion ({@link DataSplit#limit}).
     */
    private static SplitIndices limited(Dataset all, SplitIndices split, int limit, long seed) {
        if (limit == 0) return split;
        return DataSplit.limit(all, split, limit, Math.max(1, limit / 4), seed);
    }

    /** The seed's preparation of {@code loaded}; refused for a dataset the seed did not prepare. */
    private static SeedPreprocessing.Prepared seedPreparation(Dataset loaded) {
        SeedPreprocessing seed = SeedPreprocessing.forDataset(loaded.name()).orElseThrow(() -> new BadUsageException("--preset seed: the seed "
                + "prepared " + String.join(", ", SeedPreprocessing.DATASETS) + " only; dataset '" + loaded.name() + "' has no seed preparation "
                + "(use --preset edgeq)"));
        try {
            return seed.prepare(loaded);
        } catch (IllegalArgumentException e) {
            throw new BadUsageException("--preset seed: " + e.getMessage());
        }
    }
}
