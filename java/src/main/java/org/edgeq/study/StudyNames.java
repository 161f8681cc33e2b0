package org.edgeq.study;

import org.edgeq.data.Datasets;

import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dataset and architecture names a study takes and what each fits (images or tabular rows, classification or
 * regression), known from the names alone so that a study is checked before anything is loaded or trained.
 */
public final class StudyNames {
    /** The built-in set made for compression studies (generated, tabular, 4 classes). */
    public static final String SYNTHETIC_HARD = "synthetic-hard";

    /** Dataset names a study takes: the built-in ones of edgeq train (a study takes no file paths: its cells are named by these). */
    public static final List<String> DATASETS;

    static {
        Set<String> names = new LinkedHashSet<>(Datasets.NAMES);
        names.add(SYNTHETIC_HARD); // built into Datasets on another branch; the name is part of the study's contract already
        DATASETS = List.copyOf(names);
    }

    /** Image datasets: the CNNs fit them, and their default model is cnn-small. */
    public static final Set<String> IMAGE_DATASETS = Set.of(Datasets.SYNTHETIC_IMAGES, "fashion-mnist");
    /** Regression datasets: distillation (soft class targets) does not apply to them. */
    public static final Set<String> REGRESSION_DATASETS = Set.of(Datasets.SYNTHETIC_REGRESSION, "california", "mv");
    /** The seed's tabular datasets: their default preset is the seed's, so their rows compare with the seed's tables. */
    public static final Set<String> SEED_DATASETS = Set.of("churn", "telescope", "california", "mv");

    /** Architectures as edgeq train --model names them. */
    public static final List<String> MODELS = Arrays.stream(ModelChoice.values()).map(ModelChoice::cliName).toList();
    /** The architectures that need images [C, H, W]. */
    public static final Set<String> IMAGE_MODELS = Arrays.stream(ModelChoice.values()).filter(m -> !m.isDense())
            .map(ModelChoice::cliName).collect(Collectors.toUnmodifiableSet());
    /** Architectures that fit tabular rows, for messages. */
    public static final List<String> TABULAR_MODELS = Arrays.stream(ModelChoice.values()).filter(ModelChoice::isDense)
            .map(ModelChoice::cliName).toList();

    public static final List<String> PRESETS = Arrays.stream(PresetChoice.values()).map(PresetChoice::toString).toList();

    private StudyNames() {
    }

    public static boolean isImages(String dataset) {
        return IMAGE_DATASETS.contains(dataset);
    }

    /** The model a dataset's base model gets when none is named: cnn-small for images, the seed's dense-simple for rows. */
    public static String defaultModel(String dataset) {
        return isImages(dataset) ? "cnn-small" : "dense-simple";
    }

    /** The preset a dataset's base model gets when none is named: the seed's for the seed's tabular sets, EdgeQ's otherwise. */
    public static String defaultPreset(String dataset) {
        return SEED_DATASETS.contains(dataset) ? "seed" : "edgeq";
    }
}
