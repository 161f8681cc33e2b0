package org.edgeq.api;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.CellRunner;
import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.PtqPlan;
import org.edgeq.study.PtqPlans;
import org.edgeq.study.ResultRow;
import org.edgeq.study.Variant;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training quantization of a saved model's weights, kept as a new model folder that {@link EdgeQ#load} opens.
 * It runs the same code as {@code edgeq quantize} (methods, sets and rules in docs/compression.md): for example
 * <pre>{@code
 * Quantize.Result q = Quantize.with("affine", 4).perChannel(true).apply(Path.of("runs/tel"), Path.of("runs/tel-q"));
 * try (EdgeQModel small = EdgeQ.load(q.modelDir())) { ... }
 * }</pre>
 * The model's dataset must be readable (as for {@code edgeq quantize}): the quantized model is measured on its own
 * test split, and a data directory other than the default is given with {@link #dataDir}. A settings object is
 * immutable; each setter returns a changed copy.
 *
 * @param method     the quantizer: mid-rise, rounding, stochastic, multipoint, multipoint-grid or affine
 * @param bits       the weight bit width, 1..16 (multipoint: 2..16)
 * @param set        the landmark set or integer format ({@code uniform}, {@code int-sym} ...), null for the method's default
 * @param perChannel one scale, set or step per output channel of each Linear and Conv2d weight instead of per tensor
 * @param seed       the seed of the quantizer's own randomness (stochastic rounding, multipoint's scale search)
 * @param backend    {@value EdgeQ#AUTO}, {@code cpu} or {@code cuda}
 * @param dataDir    where named datasets are read from; null for the default places (docs/data.md)
 */
public record Quantize(String method, int bits, String set, boolean perChannel, long seed, String backend, Path dataDir) {

    /** How errors name the settings: as this record's components. */
    private static final PtqPlans.Names NAMES = new PtqPlans.Names("method", "set", "bits");

    /** Rows per forward pass when the quantized model is measured (edgeq quantize's --eval-batch-size default). */
    private static final int EVAL_BATCH = 256;

    /**
     * Settings for {@code method} at {@code bits} bits, per tensor, the method's default set, seed 42, the best
     * available backend.
     *
     * @param method the quantizer's name as {@code edgeq quantize --method} takes it, e.g. {@code affine}
     * @param bits   the weight bit width
     * @return the settings
     */
    public static Quantize with(String method, int bits) {
        return new Quantize(method, bits, null, false, 42, EdgeQ.AUTO, null);
    }

    /**
     * The same settings with another set.
     *
     * @param set the landmark set or integer format, as {@code --set} takes it
     * @return changed settings
     */
    public Quantize set(String set) {
        return new Quantize(method, bits, set, perChannel, seed, backend, dataDir);
    }

    /**
     * The same settings with another perChannel.
     *
     * @param perChannel whether each output channel gets its own scale
     * @return changed settings
     */
    public Quantize perChannel(boolean perChannel) {
        return new Quantize(method, bits, set, perChannel, seed, backend, dataDir);
    }

    /**
     * The same settings with another seed.
     *
     * @param seed the quantizer's seed
     * @return changed settings
     */
    public Quantize seed(long seed) {
        return new Quantize(method, bits, set, perChannel, seed, backend, dataDir);
    }

    /**
     * The same settings with another backend.
     *
     * @param backend {@value EdgeQ#AUTO}, {@code cpu} or {@code cuda}
     * @return changed settings
     */
    public Quantize backend(String backend) {
        return new Quantize(method, bits, set, perChannel, seed, backend, dataDir);
    }

    /**
     * The same settings with another dataDir.
     *
     * @param dataDir where named datasets are read from
     * @return changed settings
     */
    public Quantize dataDir(Path dataDir) {
        return new Quantize(method, bits, set, perChannel, seed, backend, dataDir);
    }

    /**
     * Quantizes the model in {@code modelDir} and writes the result to a folder under {@code outDir} named after the
     * recipe ({@code <method>[-<set>]-<bits>bit}, as edgeq quantize --out names it), holding model.eqz, model.json and
     * split.json.
     *
     * @param modelDir a folder written by {@code edgeq train --out} or a compression command's export
     * @param outDir   the folder the quantized model's folder goes into
     * @return where the quantized model is and how it measured
     * @throws IOException              when a model or data file cannot be read or the output cannot be written
     * @throws IllegalArgumentException for a method, set or width the quantizers do not take (one line naming it)
     * @throws IllegalStateException    when the backend cannot run here, or the JVM lacks the Vector API module
     */
    public Result apply(Path modelDir, Path outDir) throws IOException {
        List<PtqPlan> plans = plans();
        Backend opened = EdgeQ.openBackend(backend);
        try (Backend b = opened) {
            ModelUnderStudy study = ModelUnderStudy.open("model", modelDir, dataDir);
            List<ResultRow> rows = new ArrayList<>();
            EnergyOptions energy = EnergyOptions.defaults();
            CompressionRun run = new CompressionRun(study, rows::add, outDir, EVAL_BATCH, seed, MeterOptions.defaults(EVAL_BATCH), null);
            run.start(EnergyMeters.forBackend(b.name(), energy));
            PtqPlan plan = plans.getFirst();
            new CellRunner(run, b, seed, energy.grid(), new PrintWriter(PrintWriter.nullWriter()))
                    .quantize(new Variant.Ptq(plan, null, perChannel, ObserverKind.MIN_MAX, 1));
            ResultRow row = rows.getLast();
            return new Result(outDir.resolve(plan.dirName()), row.quality().testAcc(), row.quality().testR2(),
                    row.cost().sizeBytes() == null ? -1 : row.cost().sizeBytes());
        } catch (org.edgeq.study.BadUsageException | org.edgeq.study.BadInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private List<PtqPlan> plans() {
        if (method == null) throw new IllegalArgumentException("method must not be null");
        try {
            List<PtqPlan> plans = PtqPlans.expand(List.of(method), set == null ? null : List.of(set), List.of(bits), NAMES);
            if (plans.size() != 1) throw new IllegalArgumentException(method + " with set " + set + " makes " + plans.size() + " recipes, expected one");
            return plans;
        } catch (org.edgeq.study.BadUsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * A quantized model folder and its figures on the model's own test split.
     *
     * @param modelDir     the folder holding the quantized model (model.eqz, model.json, split.json)
     * @param testAccuracy test accuracy for classification (NaN for regression)
     * @param testR2       R² for regression (NaN for classification)
     * @param sizeBytes    the size of model.eqz in bytes
     */
    public record Result(Path modelDir, double testAccuracy, double testR2, long sizeBytes) {
    }
}
