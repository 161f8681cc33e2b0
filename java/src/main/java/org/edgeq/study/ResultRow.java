package org.edgeq.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished measurement in results schema v2: which model was measured, how it was compressed, how well it does,
 * what it costs and where it came from. The CSV columns and JSON keys are {@link #COLUMNS}, in that order, defined
 * once in {@link ResultColumn}; the seed study's quant_method, bin_method and precision are derived from the recipe
 * by {@link SeedNames}. Figures that do not apply (a regression model's accuracy, an energy nobody measured) are
 * NaN or null and become empty cells (null in JSON).
 *
 * @param subject    the model measured
 * @param recipe     how its weights were compressed
 * @param quality    how well it does on its own split
 * @param cost       what it costs: sparsity, bytes, latency, throughput, memory, operations, energy, time
 * @param provenance where the row came from
 */
public record ResultRow(Subject subject, Recipe recipe, Quality quality, Cost cost, Provenance provenance) {

    /** The header of schema v2, in order. */
    public static final List<String> COLUMNS = ResultColumn.names();

    /** The method of the baseline row every compression command writes first: the unmodified FP32 source model. */
    public static final String FP32 = "fp32";

    /** The method of a study's integer-only rows ({@link Variant.Hwsim}): the quantized model run with integer arithmetic. */
    public static final String HWSIM_INT = "hwsim-int";

    /** The energy source of a row whose energy nobody measured. */
    public static final String NO_ENERGY = "none";

    public ResultRow {
        if (subject == null || recipe == null || quality == null || cost == null || provenance == null) {
            throw new IllegalArgumentException("every part of a result row must be given (use the builder)");
        }
    }

    /**
     * The model measured.
     *
     * @param dataset the dataset's name, e.g. telescope
     * @param model   the architecture's command-line name, e.g. dense-simple
     * @param seed    the seed the trained model was made with (its split and initial weights); null when unknown
     */
    public record Subject(String dataset, String model, Long seed) {
    }

    /**
     * How the weights were compressed; null where a setting does not apply.
     *
     * @param method      fp32 (baseline), a PTQ method, qat-..., prune-oneshot/prune-gradual[+quantizer], distill[+qat]
     * @param set         the landmark set or integer format
     * @param granularity per-tensor or per-channel
     * @param observer    the range observer that calibrated weights or activations
     * @param wBits       weight bits, 32 for full precision
     * @param aBits       activation bits, null unless activations are quantized
     * @param pruneScope  the pruning scope (seed, layer, global, 2:4)
     * @param pruneRatio  the requested pruning ratio
     */
    public record Recipe(String method, String set, String granularity, String observer, Integer wBits, Integer aBits,
                         String pruneScope, Double pruneRatio) {

        /** The baseline: the FP32 model as trained. */
        public static Recipe fp32() {
            return method(FP32).withWeightBits(32);
        }

        /** A recipe with only its method named; add the rest with the {@code with...} methods. */
        public static Recipe method(String method) {
            return new Recipe(method, null, null, null, null, null, null, null);
        }

        public Recipe withSet(String s) {
            return new Recipe(method, s, granularity, observer, wBits, aBits, pruneScope, pruneRatio);
        }

        public Recipe withGranularity(String g) {
            return new Recipe(method, set, g, observer, wBits, aBits, pruneScope, pruneRatio);
        }

        public Recipe withObserver(String o) {
            return new Recipe(method, set, granularity, o, wBits, aBits, pruneScope, pruneRatio);
        }

        public Recipe withWeightBits(Integer bits) {
            return new Recipe(method, set, granularity, observer, bits, aBits, pruneScope, pruneRatio);
        }

        public Recipe withActivationBits(Integer bits) {
            return new Recipe(method, set, granularity, observer, wBits, bits, pruneScope, pruneRatio);
        }

        public Recipe withPruning(String scope, Double ratio) {
            return new Recipe(method, set, granularity, observer, wBits, aBits, scope, ratio);
        }
    }

    /**
     * How well the model does; NaN where a figure does not apply.
     *
     * @param trainLoss mean loss on the training rows, in the units the model was trained in
     * @param trainAcc  accuracy on the training rows (classification)
     * @param testLoss  mean loss on the test rows, in the units the model was trained in
     * @param testAcc   accuracy on the test rows (classification)
     * @param testMse   mean squared error on the test rows in the target's own units (regression)
     * @param testR2    R² on the test rows (regression)
     */
    public record Quality(double trainLoss, double trainAcc, double testLoss, double testAcc, double testMse, double testR2) {
    }

    /**
     * What the model costs; NaN or null where not measured.
     *
     * @param sparsity                the achieved fraction of weight-layer weights that are exactly zero
     * @param sizeBytes               bytes of the model file on disk
     * @param latencyMsP50            median wall time of one inference of one sample (batch 1), warmed and repeated, ms
     * @param latencyMsP99            99th percentile of the same runs, ms
     * @param throughputPerS          samples per second at the evaluation batch size, warmed: the batch over the median batch time
     * @param peakBytes               peak memory during inference: JVM heap + off-heap tensors + device tensors
     * @param macs                    multiply-accumulates per inference with zero weights skipped (effective)
     * @param bops                    bit-operations per inference: macs x w_bits x a_bits (32 where not quantized)
     * @param energyJ                 energy of making and measuring the row, in joules
     * @param energySource            where the energy figures came from (rapl, nvml, estimate); {@link #NO_ENERGY} when not measured
     * @param energyJPerSample        inference energy per test sample over the test pass, in joules
     * @param seconds                 wall time of making and measuring the row
     * @param estEnergyUjPerInference the hardware model's energy of one inference at the row's widths, µJ (integer where
     *                                activations are quantized, weights only where not, FP32 at 32 bits)
     */
    public record Cost(double sparsity, Long sizeBytes, double latencyMsP50, double latencyMsP99, double throughputPerS,
                       Long peakBytes, Long macs, Long bops, double energyJ, String energySource, double energyJPerSample,
                       double seconds, double estEnergyUjPerInference) {
    }

    /**
     * Where the row came from.
     *
     * @param exportPath   the kept export (model.eqz), null when it was not kept
     * @param edgeqVersion the EdgeQ version that wrote the row; null for rows of other tools (the seed's tables)
     * @param cellId       the id of the study cell that made the row (edgeq study); null for the plain commands' rows
     */
    public record Provenance(String exportPath, String edgeqVersion, String cellId) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values, to change a few of them. */
    public Builder toBuilder() {
        return new Builder().subject(subject).recipe(recipe).quality(quality).cost(cost).provenance(provenance);
    }

    /** The cells in {@link #COLUMNS} order, as CSV text (empty where a figure does not apply). */
    public List<String> cells() {
        List<String> c = new ArrayList<>(COLUMNS.size());
        for (ResultColumn col : ResultColumn.values()) c.add(col.cell(this));
        return c;
    }

    /** The row keyed by column, in {@link #COLUMNS} order: numbers as numbers, empty cells as null (for JSON). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ResultColumn col : ResultColumn.values()) m.put(col.columnName(), col.value(this));
        return m;
    }

    /** The cell of the column named {@code column} as CSV text; an exception naming the columns if there is none. */
    public String cell(String column) {
        return ResultColumn.named(column).cell(this);
    }

    /** The value of the column named {@code column} as in {@link #asMap()}. */
    public Object value(String column) {
        return ResultColumn.named(column).value(this);
    }

    /** Whether this is a baseline row (the unmodified FP32 model). */
    public boolean isBaseline() {
        return FP32.equals(recipe.method());
    }

    /** Collects a row's values one column at a time; unset figures stay empty (NaN or null). */
    public static final class Builder {
        private String dataset;
        private String model;
        private Long seed;
        private Recipe recipe = Recipe.method(null);
        private double sparsity = Double.NaN;
        private double trainLoss = Double.NaN;
        private double trainAcc = Double.NaN;
        private double testLoss = Double.NaN;
        private double testAcc = Double.NaN;
        private double testMse = Double.NaN;
        private double testR2 = Double.NaN;
        private Long sizeBytes;
        private double latencyMsP50 = Double.NaN;
        private double latencyMsP99 = Double.NaN;
        private double throughputPerS = Double.NaN;
        private Long peakBytes;
        private Long macs;
        private Long bops;
        private double energyJ = Double.NaN;
        private String energySource = NO_ENERGY;
        private double energyJPerSample = Double.NaN;
        private double seconds = Double.NaN;
        private double estEnergyUjPerInference = Double.NaN;
        private String exportPath;
        private String edgeqVersion;
        private String cellId;

        private Builder() {
        }

        public Builder subject(Subject s) {
            return dataset(s.dataset()).model(s.model()).seed(s.seed());
        }

        public Builder recipe(Recipe r) {
            recipe = r;
            return this;
        }

        public Builder quality(Quality q) {
            trainLoss = q.trainLoss();
            trainAcc = q.trainAcc();
            testLoss = q.testLoss();
            testAcc = q.testAcc();
            testMse = q.testMse();
            testR2 = q.testR2();
            return this;
        }

        public Builder cost(Cost c) {
            return sparsity(c.sparsity()).sizeBytes(c.sizeBytes()).latencyMsP50(c.latencyMsP50()).latencyMsP99(c.latencyMsP99())
                    .throughputPerS(c.throughputPerS()).peakBytes(c.peakBytes()).macs(c.macs()).bops(c.bops())
                    .energy(c.energyJ(), c.energySource()).energyJPerSample(c.energyJPerSample()).seconds(c.seconds())
                    .estEnergyUjPerInference(c.estEnergyUjPerInference());
        }

        public Builder provenance(Provenance p) {
            return exportPath(p.exportPath()).edgeqVersion(p.edgeqVersion()).cellId(p.cellId());
        }

        public Builder dataset(String v) {
            dataset = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder method(String v) {
            recipe = new Recipe(v, recipe.set(), recipe.granularity(), recipe.observer(), recipe.wBits(), recipe.aBits(),
                    recipe.pruneScope(), recipe.pruneRatio());
            return this;
        }

        public Builder set(String v) {
            recipe = recipe.withSet(v);
            return this;
        }

        public Builder granularity(String v) {
            recipe = recipe.withGranularity(v);
            return this;
        }

        public Builder observer(String v) {
            recipe = recipe.withObserver(v);
            return this;
        }

        public Builder wBits(Integer v) {
            recipe = recipe.withWeightBits(v);
            return this;
        }

        public Builder aBits(Integer v) {
            recipe = recipe.withActivationBits(v);
            return this;
        }

        public Builder pruneScope(String v) {
            recipe = recipe.withPruning(v, recipe.pruneRatio());
            return this;
        }

        public Builder pruneRatio(Double v) {
            recipe = recipe.withPruning(recipe.pruneScope(), v);
            return this;
        }

        public Builder sparsity(double v) {
            sparsity = v;
            return this;
        }

        public Builder trainLoss(double v) {
            trainLoss = v;
            return this;
        }

        public Builder trainAcc(double v) {
            trainAcc = v;
            return this;
        }

        public Builder testLoss(double v) {
            testLoss = v;
            return this;
        }

        public Builder testAcc(double v) {
            testAcc = v;
            return this;
        }

        public Builder testMse(double v) {
            testMse = v;
            return this;
        }

        public Builder testR2(double v) {
            testR2 = v;
            return this;
        }

        public Builder sizeBytes(Long v) {
            sizeBytes = v;
            return this;
        }

        public Builder latencyMsP50(double v) {
            latencyMsP50 = v;
            return this;
        }

        public Builder latencyMsP99(double v) {
            latencyMsP99 = v;
            return this;
        }

        public Builder throughputPerS(double v) {
            throughputPerS = v;
            return this;
        }

        public Builder peakBytes(Long v) {
            peakBytes = v;
            return this;
        }

        public Builder macs(Long v) {
            macs = v;
            return this;
        }

        public Builder bops(Long v) {
            bops = v;
            return this;
        }

        public Builder energyJPerSample(double v) {
            energyJPerSample = v;
            return this;
        }

        public Builder seconds(double v) {
            seconds = v;
            return this;
        }

        public Builder estEnergyUjPerInference(double v) {
            estEnergyUjPerInference = v;
            return this;
        }

        public Builder energy(double joules, String source) {
            energyJ = joules;
            energySource = source;
            return this;
        }

        public Builder energyJ(double v) {
            energyJ = v;
            return this;
        }

        public Builder energySource(String v) {
            energySource = v;
            return this;
        }

        public Builder exportPath(String v) {
            exportPath = v;
            return this;
        }

        public Builder edgeqVersion(String v) {
            edgeqVersion = v;
            return this;
        }

        public Builder cellId(String v) {
            cellId = v;
            return this;
        }

        public ResultRow build() {
            return new ResultRow(new Subject(dataset, model, seed), recipe,
                    new Quality(trainLoss, trainAcc, testLoss, testAcc, testMse, testR2),
                    new Cost(sparsity, sizeBytes, latencyMsP50, latencyMsP99, throughputPerS, peakBytes, macs, bops, energyJ,
                            energySource, energyJPerSample, seconds, estEnergyUjPerInference),
                    new Provenance(exportPath, edgeqVersion, cellId));
        }
    }
}
