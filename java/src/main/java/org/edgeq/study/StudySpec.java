package org.edgeq.study;

import java.util.List;

/**
 * What a study sweeps, however it was given (command-line flags or a study file): every base model gets every
 * variant, and each (base model, variant) pair is one cell. The variants start with {@link Variant.Baseline}.
 *
 * @param bases    the base models, each trained once
 * @param variants the compression recipes applied to each base model, in report order
 */
public record StudySpec(List<BaseModelSpec> bases, List<Variant> variants) {
    public StudySpec {
        bases = List.copyOf(bases);
        variants = List.copyOf(variants);
        if (bases.isEmpty()) throw new IllegalArgumentException("a study needs at least one base model");
        if (variants.isEmpty()) throw new IllegalArgumentException("a study needs at least one variant");
    }
}
