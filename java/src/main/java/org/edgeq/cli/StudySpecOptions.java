package org.edgeq.cli;

import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.BaseModelSpec;
import org.edgeq.study.PtqPlan;
import org.edgeq.study.PtqPlans;
import org.edgeq.study.StudySpec;
import org.edgeq.study.Variant;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The options that say what a study sweeps (flags, or {@code --study FILE}), shared by edgeq study and its plan,
 * run-cell and merge subcommands. PLACEHOLDER: dataset, model and PTQ flags only; the study-spec work replaces the
 * body, keeping {@link #spec()}.
 */
public class StudySpecOptions {
    @Option(names = "--dataset", paramLabel = "NAME", split = ",", defaultValue = "synthetic-blobs", description = "Datasets.")
    List<String> datasets;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "dense-simple", description = "Architecture.")
    String model;

    @Option(names = "--methods", paramLabel = "NAME", split = ",", defaultValue = "rounding", description = "PTQ methods or all.")
    List<String> methods;

    @Option(names = "--bits", paramLabel = "N", split = ",", defaultValue = "8,4", description = "PTQ widths.")
    List<Integer> bits;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed.")
    long seed;

    /** The study these options describe; bad values raise BadUsageException or BadInputException (file:line). */
    public StudySpec spec() {
        List<BaseModelSpec> bases = new ArrayList<>();
        for (String d : datasets) bases.add(new BaseModelSpec(d, model, "edgeq", null, null, null, 0, seed));
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant.Baseline());
        for (PtqPlan p : PtqPlans.expand(methods, null, bits))
            variants.add(new Variant.Ptq(p, null, false, ObserverKind.MIN_MAX, 16));
        return new StudySpec(bases, variants, false);
    }
}
