package org.edgeq.study;

import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyReading;
import org.edgeq.hwsim.HwsimEnergy;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.StagedDirectory;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.metrics.LayerBits;
import org.edgeq.metrics.ModelProfile;
import org.edgeq.metrics.ModelProfiler;
import org.edgeq.metrics.VariantFigures;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.metrics.VariantMeter;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.LandmarkQuantizer;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.MultiPointGridQuantizer;
import org.edgeq.quant.MultiPointQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.WeightQuantizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one compression run over a model under study: the FP32 baseline row and each compressed model
 * measured, exported (into its own folder under the exports directory when exports are kept, else only to count its
 * bytes) and recorded as a schema-v2 row in a {@link RowSink}. Every row names the study's dataset, the trained
 * model's seed, the EdgeQ version and the study cell it belongs to (empty for a plain command); the callers give
 * the recipe. Each row is measured through one {@link VariantMeter} (latency, throughput, peak memory, MACs, the
 * test pass's energy), and its energy_j and seconds cover the making and measuring of the row: from the previous
 * row's recording (the first: from {@link #start}) to its own, export included. A run is made before any work and
 * started once the backend, and with it the energy meter, is known.
 */
public final class CompressionRun {
    private final ModelUnderStudy study;
    private final RowSink output;
    /** What an export folder holds; --overwrite replaces a folder holding only these. */
    static final Set<String> EXPORT_FILES = Set.of(CompressedModelFile.FILE_NAME, Checkpoint.DESCRIPTION, Checkpoint.SPLIT);
    private final Path out;
    private final int evalBatchSize;
    private final long commandSeed;
    private final MeterOptions meterOptions;
    private final String cellId;
    private VariantMeter meter;
    private EnergyMeter.Measurement rowEnergy;

    /**
     * @param study         the model the rows start from
     * @param output        where each finished row goes
     * @param out           where each row's export is kept, one folder per row; null to keep none
     * @param evalBatchSize samples per forward pass of the measurements
     * @param commandSeed   the seed of the run's own randomness, recorded in the exports
     * @param meterOptions  how each row's latency, throughput and memory are measured
     * @param cellId        the study cell the rows belong to, null for a plain command
     */
    public CompressionRun(ModelUnderStudy study, RowSink output, Path out, int evalBatchSize, long commandSeed,
                          MeterOptions meterOptions, String cellId) {
        this.study = study;
        this.output = output;
        this.out = out;
        this.evalBatchSize = evalBatchSize;
        this.commandSeed = commandSeed;
        this.meterOptions = meterOptions;
        this.cellId = cellId;
    }
    /**
     * Starts the run's measurements with {@code energy}, the meter of the backend the rows run on: it measures every
     * row (its making and measuring) and each row's test pass (energy_j_per_sample). Call once, before the first row.
     */
    public CompressionRun start(EnergyMeter energy) {
        if (meter != null) throw new IllegalStateException("the run was started already");
        meter = new VariantMeter(meterOptions, energy);
        rowEnergy = energy.start();
        return this;
    }

    /** The energy meter the run was started with: every row's, and any training a row runs. */
    public EnergyMeter energyMeter() {
        return meter().energyMeter();
    }

    private VariantMeter meter() {
        if (meter == null) throw new IllegalStateException("start the run with its energy meter before measuring rows");
        return meter;
    }

    /**
     * Figures of {@code net} on the study's training and test rows, in batches of --eval-batch-size, with its latency,
     * throughput, peak memory, MACs and the test pass's energy.
     */
    public ModelUnderStudy.Measurement measure(Model net) {
        return study.measure(net, evalBatchSize, meter());
    }

    /**
     * Measures {@code net}, the unmodified model the command starts from (the teacher for distill), and records it
     * as the run's baseline row: method fp32, 32-bit weights, the trained weight file's size, nothing exported.
     */
    public ResultRow baseline(Model net) throws IOException {
        ModelUnderStudy.Measurement m = measure(net);
        ResultRow.Recipe recipe = ResultRow.Recipe.fp32();
        ResultRow row = row(study.modelName(), recipe, m.figures(), m.quality(), recorded(net, recipe), estimatedEnergy(net, recipe), study.safetensorsBytes, null, rowEnergy.stop());
        record(row);
        return row;
    }

    /** Exports {@code net} as a row of the study's own architecture and records the row. */
    public ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                  ModelUnderStudy.Measurement m, ResultRow.Recipe recipe) throws IOException {
        return add(net, codes, meta, rowDir, m, recipe, study.modelName(), study.description.config());
    }

    /**
     * As {@link #add(Model, Map, Map, String, ModelUnderStudy.Measurement, ResultRow.Recipe)} for a model of another
     * architecture (a distilled student), named {@code modelName} in its row.
     */
    public ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                  ModelUnderStudy.Measurement m, ResultRow.Recipe recipe, String modelName, ModelConfig config) throws IOException {
        return add(net, codes, meta, rowDir, m, recipe, m.quality(), estimatedEnergy(net, recipe), modelName, config);
    }

    /**
     * As {@link #add(Model, Map, Map, String, ModelUnderStudy.Measurement, ResultRow.Recipe)} for a row whose quality
     * and estimated energy come from elsewhere than {@code m} and the row's widths (the integer simulator's row: its
     * integer run's accuracy, the energy at its accumulator width); {@code m} still gives the cost figures.
     */
    public ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                         ModelUnderStudy.Measurement m, ResultRow.Recipe recipe, ResultRow.Quality quality, double estimatedMicrojoules)
            throws IOException {
        return add(net, codes, meta, rowDir, m, recipe, quality, estimatedMicrojoules, study.modelName(), study.description.config());
    }

    private ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                          ModelUnderStudy.Measurement m, ResultRow.Recipe recipe, ResultRow.Quality quality, double estimatedMicrojoules,
                          String modelName, ModelConfig config) throws IOException {
        Path dir = out == null ? null : out.resolve(rowDir);
        Map<String, String> withSeed = new LinkedHashMap<>(meta);
        withSeed.putIfAbsent("seed", Long.toString(commandSeed)); // the row's seed column is the trained model's
        // The row's folder is built under a temporary name beside it and renamed into place once its three files are
        // written (replacing an older export only then), before the row goes to the CSV: a folder is absent or whole.
        try (StagedDirectory staged = dir == null ? null : StagedDirectory.begin(dir, EXPORT_FILES)) {
            long size = ModelUnderStudy.export(net, codes, withSeed, staged == null ? null : staged.path());
            String exportPath = dir == null ? null : dir.resolve(CompressedModelFile.FILE_NAME).toAbsolutePath().normalize().toString();
            ResultRow row = row(modelName, recipe, m.figures(), quality, recorded(net, recipe), estimatedMicrojoules, size, exportPath, rowEnergy.stop());
            if (staged != null) {
                study.describeExport(staged.path(), row, config);
                staged.publish();
            }
            record(row);
            return row;
        }
    }

    /** Writes the row, then starts timing the next one. */
    private void record(ResultRow row) throws IOException {
        output.add(row);
        rowEnergy = meter().energyMeter().start();
    }

    /**
     * The profile of {@code net} as the row records it (the weights exported, which a QAT model only takes after it
     * was measured through its quantizers) at the recipe's widths: its sparsity, effective MACs and BOPs.
     */
    private static ModelProfile recorded(Model net, ResultRow.Recipe recipe) {
        return ModelProfiler.of(net, LayerBits.ofRow(recipe.wBits(), recipe.aBits()));
    }

    /**
     * The hardware model's energy of one inference of {@code net} at the row's widths, in µJ ({@link HwsimEnergy}:
     * Horowitz's 45 nm table, a model): integer arithmetic where the row quantizes activations too, weights moved at
     * w_bits with FP32 arithmetic where only weights are quantized, FP32 for a 32-bit row.
     */
    private static double estimatedEnergy(Model net, ResultRow.Recipe recipe) {
        int w = recipe.wBits() == null ? 32 : recipe.wBits();
        int a = recipe.aBits() == null ? 32 : recipe.aBits();
        return HwsimEnergy.estimateMicrojoules(net, w, a);
    }

    private ResultRow row(String modelName, ResultRow.Recipe recipe, VariantFigures f, ResultRow.Quality quality, ModelProfile profile,
                          double estimatedMicrojoules, long sizeBytes, String exportPath, EnergyReading made) {
        return ResultRow.builder()
                .dataset(study.all.name()).model(modelName).seed(study.description.training().seed())
                .recipe(recipe)
                .quality(quality)
                .sparsity(profile.weightSparsity()).sizeBytes(sizeBytes)
                .latencyMsP50(f.latencyMsP50()).latencyMsP99(f.latencyMsP99()).throughputPerS(f.throughputPerSecond())
                .peakBytes(f.peakBytes()).macs(profile.effectiveMacs()).bops(profile.bops())
                .energy(made.joules(), meter().energyMeter().source()).energyJPerSample(f.energyJPerSample()).seconds(made.seconds())
                .estEnergyUjPerInference(estimatedMicrojoules)
                .exportPath(exportPath).edgeqVersion(EdgeqVersion.get()).cellId(cellId)
                .build();
    }

    /** The granularity column's name for {@code g}. */
    public static String granularity(Granularity g) {
        return g == Granularity.PER_CHANNEL ? "per-channel" : "per-tensor";
    }

    /** The granularity {@code q} actually quantizes at (multi-point has one grid per tensor whatever was asked). */
    public static String granularity(WeightQuantizer q) {
        return switch (q) {
            case MidRiseQuantizer m -> granularity(m.granularity());
            case LandmarkQuantizer l -> granularity(l.granularity());
            case AffineQuantizer a -> granularity(a.granularity());
            case MultiPointQuantizer mp -> granularity(Granularity.PER_TENSOR);
            case MultiPointGridQuantizer mp -> granularity(Granularity.PER_TENSOR);
        };
    }

    /** Samples per forward pass of the measurements (and of activation calibration). */
    public int evalBatchSize() {
        return evalBatchSize;
    }

    /** The model the rows start from. */
    public ModelUnderStudy study() {
        return study;
    }

    /** Where the rows' exports are kept; null when none are. */
    public Path exportsDir() {
        return out;
    }
}
