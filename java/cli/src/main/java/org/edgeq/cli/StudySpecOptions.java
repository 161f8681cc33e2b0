package org.edgeq.cli;

import org.edgeq.study.StudyDefaults;
import org.edgeq.study.StudyFile;
import org.edgeq.study.StudyKey;
import org.edgeq.study.StudySettings;
import org.edgeq.study.StudySpec;
import org.edgeq.study.StudySpecBuilder;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The options that say what a study sweeps, shared by edgeq study and its plan, run-cell and merge subcommands:
 * a study file ({@code --study FILE.yaml}, keys named as these flags) and the sweep flags, which override the file's
 * keys one by one. Every list takes comma-separated values or the flag repeated; {@code none} is an empty list.
 * Nothing given at all: the default study. Values are checked by {@link StudySpecBuilder}, not here, so that flags
 * and study files are refused with the same messages.
 */
public class StudySpecOptions {

    @Option(names = "--study", paramLabel = "FILE", order = 100,
            description = "Study file (YAML): keys are these flags' names without '--' (see docs/study-file.md); "
                    + "flags given as well override its keys one by one.")
    Path study;

    // ---- base models: trained once each, shared by every variant

    @Option(names = "--dataset", paramLabel = "NAME[,NAME...]", order = 101,
            description = "Datasets: synthetic-hard (generated, made for compression studies), synthetic-blobs, synthetic-regression, "
                    + "synthetic-images, churn, telescope, california, mv, fashion-mnist (default: " + StudyDefaults.DATASET + ").")
    List<String> dataset;

    @Option(names = "--model", paramLabel = "MODEL[,MODEL...]", order = 102,
            description = "Architectures, each trained on every dataset: dense-simple, dense-complex, dense, cnn-seed, cnn-small, "
                    + "resnet9 (default: cnn-small for image datasets, the reference study's dense-simple otherwise).")
    List<String> model;

    @Option(names = "--preset", paramLabel = "NAME", order = 103,
            description = "Training defaults, as edgeq train --preset: edgeq or seed (default: seed for the reference study's churn, telescope, "
                    + "california and mv, so their rows compare with the reference study's tables; edgeq otherwise).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", order = 104,
            description = "Training epochs of the base models (default: the preset's, 10; --preset seed on regression: 20).")
    String epochs;

    @Option(names = "--lr", paramLabel = "RATE", order = 105, description = "Learning rate of the base models (default: the preset's, 1e-3).")
    String lr;

    @Option(names = "--batch-size", paramLabel = "N", order = 106,
            description = "Batch size of the base models (default: 16 for dense models as in the reference study, 64 for CNNs).")
    String batchSize;

    @Option(names = "--limit", paramLabel = "N", order = 107,
            description = "Train on at most N samples, for quick studies (default: " + StudyDefaults.LIMIT + " = all).")
    String limit;

    @Option(names = "--seed", paramLabel = "N[,N...]", order = 108,
            description = "Random seeds of the split, initial weights and shuffling; one base model per seed (default: " + StudyDefaults.SEED + ").")
    List<String> seed;

    // ---- post-training quantization

    @Option(names = "--methods", paramLabel = "NAME[,NAME...]", order = 110,
            description = "PTQ methods: mid-rise, rounding, stochastic, multipoint (the reference study's), multipoint-grid, affine (EdgeQ's), "
                    + "all, or none (default: " + StudyDefaults.METHODS + ").")
    List<String> methods;

    @Option(names = "--sets", paramLabel = "NAME[,NAME...]", order = 111,
            description = "Landmark sets and integer formats, each making a row for every method it applies to: uniform, iqr, "
                    + "histogram, prior-normal (the reference study's), normal, int-sym, int-asym (EdgeQ's); a method none applies to takes "
                    + "its own (affine: int-sym) (default: the reference study's " + StudyDefaults.SETS + ", where they apply).")
    List<String> sets;

    @Option(names = "--bits", paramLabel = "N[,N...]", order = 112,
            description = "PTQ weight widths, each 1..16 (multipoint and int-sym: 2..16) (default: " + StudyDefaults.BITS + ").")
    List<String> bits;

    @Option(names = "--act-bits", paramLabel = "N[,N...]", order = 113,
            description = "Also quantize activations to each width, 2..16 (static, per tensor, calibrated); none is the weights-only "
                    + "row, e.g. none,8 makes both (default: " + StudyDefaults.ACT_BITS + ").")
    List<String> actBits;

    @Option(names = "--per-channel", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", order = 114,
            description = "One scale, set or step per output channel instead of per tensor (default: " + StudyDefaults.PER_CHANNEL + ").")
    Boolean perChannel;

    // ---- quantization-aware training

    @Option(names = "--qat-bits", paramLabel = "N[,N...]", order = 120,
            description = "QAT weight widths, each 2..16, or none (default: " + StudyDefaults.QAT_BITS + ").")
    List<String> qatBits;

    @Option(names = "--qat-lsq", paramLabel = "no|yes|both", order = 121,
            description = "Learn the step sizes (LSQ): no, yes, or both rows (default: " + StudyDefaults.QAT_LSQ + ").")
    String qatLsq;

    @Option(names = "--qat-act-bits", paramLabel = "N[,N...]", order = 122,
            description = "Also fake-quantize activations in QAT to each width, 2..16; none is the weights-only row (default: "
                    + StudyDefaults.QAT_ACT_BITS + ").")
    List<String> qatActBits;

    @Option(names = "--qat-epochs", paramLabel = "N", order = 123,
            description = "Fine-tuning epochs of QAT and of the reference study's QAT (default: " + StudyDefaults.QAT_EPOCHS + ").")
    String qatEpochs;

    @Option(names = "--seed-qat", paramLabel = "NAME[,NAME...]", order = 124,
            description = "Also the reference study's QAT through these quantizers at each --qat-bits width: mid-rise, rounding, stochastic "
                    + "(the reference study's), multipoint, multipoint-grid, or none (default: " + StudyDefaults.SEED_QAT + ").")
    List<String> seedQat;

    // ---- pruning

    @Option(names = "--prune-ratios", paramLabel = "R[,R...]", order = 130,
            description = "Magnitude pruning: fractions to remove, each in [0, 1), or none (default: " + StudyDefaults.PRUNE_RATIOS + ").")
    List<String> pruneRatios;

    @Option(names = "--prune-schedules", paramLabel = "NAME[,NAME...]", order = 131,
            description = "oneshot, gradual (default: " + StudyDefaults.PRUNE_SCHEDULES + ").")
    List<String> pruneSchedules;

    @Option(names = "--prune-scopes", paramLabel = "NAME[,NAME...]", order = 132,
            description = "seed (the reference study's rule), layer, global, 2:4 (2:4: one row at 0.5, whatever the ratios) (default: " + StudyDefaults.PRUNE_SCOPES + ").")
    List<String> pruneScopes;

    @Option(names = "--prune-epochs", paramLabel = "N", order = 133,
            description = "Fine-tuning epochs with the masks held (default: 0 for oneshot, 10 for gradual).")
    String pruneEpochs;

    @Option(names = "--prune-then-quantize", paramLabel = "N[,N...]", order = 134,
            description = "Also quantize every pruned model to each width with --prune-quantize-method, or none (default: "
                    + StudyDefaults.PRUNE_THEN_QUANTIZE + ").")
    List<String> pruneThenQuantize;

    @Option(names = "--prune-quantize-method", paramLabel = "NAME", order = 135,
            description = "The PTQ method of --prune-then-quantize, with its default set or format (default: "
                    + StudyDefaults.PRUNE_QUANTIZE_METHOD + ": int-sym keeps zero on the grid).")
    String pruneQuantizeMethod;

    // ---- distillation

    @Option(names = "--distill-students", paramLabel = "MODEL[,MODEL...]", order = 140,
            description = "Distil each base model into each student: an architecture as --model, or dense:W,W,... with its "
                    + "hidden widths (e.g. dense:32,16,cnn-small); classification only (default: " + StudyDefaults.DISTILL_STUDENTS + ").")
    List<String> distillStudents;

    @Option(names = "--distill-epochs", paramLabel = "N", order = 141,
            description = "Student training epochs (default: " + StudyDefaults.DISTILL_EPOCHS + ").")
    String distillEpochs;

    @Option(names = "--distill-qat-bits", paramLabel = "N[,N...]", order = 142,
            description = "Train students with fake-quantized weights of each width, 2..16; none is the full-precision student "
                    + "(default: " + StudyDefaults.DISTILL_QAT_BITS + ").")
    List<String> distillQatBits;

    // ---- measurement

    @Option(names = "--hwsim", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", order = 150,
            description = "Add integer-only cells (edgeq hwsim's simulator, method hwsim-int): one per --bits width in 2..8 at W{bits}A8 "
                    + "with a 32-bit accumulator, W8A8 where there is none (default: " + StudyDefaults.HWSIM + ").")
    Boolean hwsim;

    /** The study these options describe; bad values raise BadUsageException (flags) or BadInputException (FILE:LINE: reason). */
    public StudySpec spec() {
        StudySettings file = study == null ? StudySettings.none() : StudyFile.read(study);
        return StudySpecBuilder.build(file.overriddenBy(StudySettings.ofFlags(flags())));
    }

    /** The flags given, by key (a flag left out is absent, so that the study file's value or the default stands). */
    Map<StudyKey, List<String>> flags() {
        Map<StudyKey, List<String>> m = new EnumMap<>(StudyKey.class);
        m.put(StudyKey.DATASET, dataset);
        m.put(StudyKey.MODEL, model);
        m.put(StudyKey.PRESET, one(preset));
        m.put(StudyKey.EPOCHS, one(epochs));
        m.put(StudyKey.LR, one(lr));
        m.put(StudyKey.BATCH_SIZE, one(batchSize));
        m.put(StudyKey.LIMIT, one(limit));
        m.put(StudyKey.SEED, seed);
        m.put(StudyKey.METHODS, methods);
        m.put(StudyKey.SETS, sets);
        m.put(StudyKey.BITS, bits);
        m.put(StudyKey.ACT_BITS, actBits);
        m.put(StudyKey.PER_CHANNEL, one(perChannel));
        m.put(StudyKey.QAT_BITS, qatBits);
        m.put(StudyKey.QAT_LSQ, one(qatLsq));
        m.put(StudyKey.QAT_ACT_BITS, qatActBits);
        m.put(StudyKey.QAT_EPOCHS, one(qatEpochs));
        m.put(StudyKey.SEED_QAT, seedQat);
        m.put(StudyKey.PRUNE_RATIOS, pruneRatios);
        m.put(StudyKey.PRUNE_SCHEDULES, pruneSchedules);
        m.put(StudyKey.PRUNE_SCOPES, pruneScopes);
        m.put(StudyKey.PRUNE_EPOCHS, one(pruneEpochs));
        m.put(StudyKey.PRUNE_THEN_QUANTIZE, pruneThenQuantize);
        m.put(StudyKey.PRUNE_QUANTIZE_METHOD, one(pruneQuantizeMethod));
        m.put(StudyKey.DISTILL_STUDENTS, distillStudents);
        m.put(StudyKey.DISTILL_EPOCHS, one(distillEpochs));
        m.put(StudyKey.DISTILL_QAT_BITS, distillQatBits);
        m.put(StudyKey.HWSIM, one(hwsim));
        return m;
    }

    private static List<String> one(Object value) {
        return value == null ? null : List.of(value.toString());
    }
}
