package org.edgeq.study;

/**
 * The default of every study setting as text, the form flags and study files give them in; constants so that the
 * options' --help texts can quote them. Without any setting these defaults make the default study: synthetic-hard,
 * dense-simple, FP32 plus three PTQ methods over the seed's sets at 8/4/2 bits, QAT at 8/4, three one-shot pruning
 * ratios each also quantized to 4 bits.
 */
public final class StudyDefaults {
    public static final String DATASET = StudyNames.SYNTHETIC_HARD;
    public static final String LIMIT = "0";
    public static final String SEED = "42";
    public static final String METHODS = "mid-rise,rounding,affine";
    /** The seed's four sets: where a set applies to a method it makes a row; methods without one take their own format. */
    public static final String SETS = "uniform,iqr,histogram,prior-normal";
    public static final String BITS = "8,4,2";
    public static final String ACT_BITS = "none";
    public static final String PER_CHANNEL = "false";
    public static final String QAT_BITS = "8,4";
    public static final String QAT_LSQ = "no";
    public static final String QAT_ACT_BITS = "none";
    /** As edgeq qat --epochs. */
    public static final String QAT_EPOCHS = "3";
    public static final String SEED_QAT = "none";
    public static final String PRUNE_RATIOS = "0.25,0.5,0.75";
    public static final String PRUNE_SCHEDULES = "oneshot";
    public static final String PRUNE_SCOPES = "layer";
    public static final String PRUNE_THEN_QUANTIZE = "4";
    /** Affine int-sym keeps zero exactly on its grid, so a pruned model stays as sparse once quantized. */
    public static final String PRUNE_QUANTIZE_METHOD = "affine";
    public static final String DISTILL_STUDENTS = "none";
    /** As edgeq distill --epochs. */
    public static final String DISTILL_EPOCHS = "10";
    public static final String DISTILL_QAT_BITS = "none";
    public static final String HWSIM = "false";

    /** Fine-tuning epochs of pruning when prune-epochs is not given: none after one-shot pruning, 10 for gradual (as edgeq prune). */
    static final int PRUNE_EPOCHS_ONESHOT = 0;
    static final int PRUNE_EPOCHS_GRADUAL = 10;
    /** Distillation's loss settings, as edgeq distill's defaults (a study does not sweep them). */
    static final float DISTILL_TEMPERATURE = 4f;
    static final float DISTILL_ALPHA = 0.7f;
    /** Activation calibration, as edgeq quantize's defaults. */
    static final int CALIBRATION_BATCHES = 16;

    private StudyDefaults() {
    }
}
