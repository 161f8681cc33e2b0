package org.edgeq.cli;

import org.edgeq.study.DataLoading;
import org.edgeq.study.ModelUnderStudy;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.ModelExporter;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Task;
import org.edgeq.energy.EnergyFigures;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.energy.EnergyReading;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code edgeq eval}: measures a saved model on its own test split or on another dataset. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Evaluate a model saved by 'edgeq train --out DIR' (or a compressed export kept by 'edgeq quantize/prune/qat/distill --out', "
                        + "read from its model.eqz). The checkpoint is validated completely (names, "
                        + "shapes, dtypes, file layout) before any weight is loaded; a corrupt or mismatched one is refused. "
                        + "By default the model is measured on the test rows of its own split.json, standardised as in training. "
                        + "A model trained with --preset seed first gets the rows and columns its model.json records (for "
                        + "california: without Longitude and Latitude, the target trimmed to the recorded range), also from --dataset.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq eval --model runs/telescope",
                "  edgeq eval --model runs/telescope --dataset other-telescope.dat --json | tail -n 1"})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model directory written by 'edgeq train --out DIR'.")
    Path modelDir;

    @Option(names = "--dataset", paramLabel = "NAME|FILE",
            description = "Evaluate on all rows of this dataset instead of the model's own test split.")
    String dataset;

    @Option(names = "--target", paramLabel = "COLUMN", description = "Target column of a generic CSV file.")
    String target;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", converter = Ranges.BatchSize.class, description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    EnergyCliOptions energy;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        common.validate();
        EnergyOptions energyOptions = energy.options();
        // A directory holding only a compressed export (edgeq quantize/prune/qat/distill --out) is evaluated from it.
        boolean compressed = !Files.exists(modelDir.resolve(Checkpoint.WEIGHTS))
                && Files.exists(modelDir.resolve(CompressedModelFile.FILE_NAME));
        SavedModel saved = compressed ? null : Checkpoint.read(modelDir);
        ModelDescription description = compressed ? Checkpoint.readDescription(modelDir) : saved.description();
        TrainingMetadata meta = description.training();
        CompressedModelFile.Contents export = compressed ? CompressedModelFile.read(modelDir.resolve(CompressedModelFile.FILE_NAME)) : null;
        if (export != null) export.decodeAll(); // a corrupt export is refused before anything else happens

        String source = dataset != null ? dataset : meta.source();
        // The model's own CSV file is read with the target column its training recorded, unless --target says otherwise.
        String column = target != null || dataset != null ? target : meta.settings().get(ModelUnderStudy.TARGET_SETTING);
        Datasets.Resolved resolved = DataLoading.load(DataLoading.registry(common.dataDir), source, column);
        // The rows and columns a preset kept, also from another dataset: the model reads those columns only.
        Dataset all = ModelUnderStudy.select("--model", modelDir, meta, resolved.dataset());
        Dataset rows;
        String which;
        if (dataset == null) {
            Optional<SplitIndices> split = Checkpoint.readSplit(modelDir, all.name(), all.size());
            if (split.isEmpty()) throw new UsageException(modelDir + " has no split.json; name the data with --dataset");
            rows = all.subset(split.get().test());
            which = "its test split";
        } else {
            rows = all;
            which = "all rows";
        }
        rows = meta.preprocessing().apply(rows);
        double mseUnits = meta.targetScale() == null ? 1 : meta.targetScale().std() * meta.targetScale().std();
        try (Backend backend = BackendSelection.open(common, err);
             Model net = compressed ? ModelExporter.load(export, backend, common.seed)
                     : ModelFactory.create(description.config(), backend, common.seed)) {
            if (!compressed) saved.loadInto(net.stateDict(), net.backend());
            String activations = compressed ? export.metadata().get("activations") : null;
            Evaluation e;
            EnergyMeter meter = EnergyMeters.forBackend(backend.name(), energyOptions);
            err.println("energy: " + meter.describe());
            EnergyReading reading;
            // An export measured with quantized activations is evaluated with the same frozen input quantizers.
            try (QatHook inputs = activations == null ? null : ActivationRanges.restore(net, ActivationRanges.fromJson(activations))) {
                EnergyMeter.Measurement measuring = meter.start();
                try {
                    e = Evaluator.evaluate(net, rows, batchSize);
                } finally {
                    reading = measuring.stop();
                }
            }
            // Per evaluated sample: the energy and time of the pass over the rows, nothing before it.
            EnergyFigures energyFigures = new EnergyFigures(reading, e.samples(), energyOptions.grid());
            if (common.json) {
                JsonLine json = new JsonLine().put("command", "eval").put("model", modelDir.toString())
                        .put("architecture", net.config().architecture())
                        .put("dataset", all.name()).put("samples", e.samples()).put("test_loss", e.loss());
                if (all.task() == Task.CLASSIFICATION) json.put("test_acc", e.accuracy());
                else json.put("test_mse", e.mse() * mseUnits).put("r2", e.r2());
                json.put("seconds", reading.seconds());
                energyFigures.jsonFields().forEach(json::put);
                stdout.println(json);
            } else {
                stdout.printf(Locale.ROOT, "%s on %s (%s, %d samples): ", modelDir, all.name(), which, e.samples());
                if (all.task() == Task.CLASSIFICATION) stdout.printf(Locale.ROOT, "accuracy %.4f, loss %.4f%n", e.accuracy(), e.loss());
                else stdout.printf(Locale.ROOT, "R² %.4f, MSE %.6g%n", e.r2(), e.mse() * mseUnits);
                stdout.println("evaluation " + energyFigures.summary());
            }
            return ExitCodes.OK;
        }
    }
}
