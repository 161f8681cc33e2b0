package org.edgeq.study;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every setting of a study: a command-line flag {@code --NAME} and the study-file key {@code NAME}, one name for
 * both so that a study file reads like the command it replaces. The shape says what a study file may give.
 */
public enum StudyKey {
    DATASET("dataset", Shape.LIST),
    MODEL("model", Shape.LIST),
    PRESET("preset", Shape.ONE),
    EPOCHS("epochs", Shape.ONE),
    LR("lr", Shape.ONE),
    BATCH_SIZE("batch-size", Shape.ONE),
    LIMIT("limit", Shape.ONE),
    SEED("seed", Shape.LIST),
    METHODS("methods", Shape.LIST),
    SETS("sets", Shape.LIST),
    BITS("bits", Shape.LIST),
    ACT_BITS("act-bits", Shape.LIST),
    PER_CHANNEL("per-channel", Shape.FLAG),
    QAT_BITS("qat-bits", Shape.LIST),
    QAT_LSQ("qat-lsq", Shape.ONE),
    QAT_ACT_BITS("qat-act-bits", Shape.LIST),
    QAT_EPOCHS("qat-epochs", Shape.ONE),
    SEED_QAT("seed-qat", Shape.LIST),
    PRUNE_RATIOS("prune-ratios", Shape.LIST),
    PRUNE_SCHEDULES("prune-schedules", Shape.LIST),
    PRUNE_SCOPES("prune-scopes", Shape.LIST),
    PRUNE_EPOCHS("prune-epochs", Shape.ONE),
    PRUNE_THEN_QUANTIZE("prune-then-quantize", Shape.LIST),
    PRUNE_QUANTIZE_METHOD("prune-quantize-method", Shape.ONE),
    DISTILL_STUDENTS("distill-students", Shape.LIST),
    DISTILL_EPOCHS("distill-epochs", Shape.ONE),
    DISTILL_QAT_BITS("distill-qat-bits", Shape.LIST),
    HWSIM("hwsim", Shape.FLAG);

    /** What a key takes: a list (or one value, or comma-separated values), exactly one value, or true/false. */
    public enum Shape { LIST, ONE, FLAG }

    private final String key;
    private final Shape shape;

    StudyKey(String key, Shape shape) {
        this.key = key;
        this.shape = shape;
    }

    /** The study-file key, and the flag without its dashes. */
    public String key() {
        return key;
    }

    public Shape shape() {
        return shape;
    }

    /** The key named {@code name}, or null. */
    public static StudyKey byKey(String name) {
        for (StudyKey k : values()) if (k.key.equals(name)) return k;
        return null;
    }

    /** Every key, comma-separated, for "allowed:" lists. */
    public static String allowed() {
        return Arrays.stream(values()).map(StudyKey::key).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return key;
    }
}
