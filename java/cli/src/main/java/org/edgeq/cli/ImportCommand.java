package org.edgeq.cli;

import org.edgeq.study.ModelChoice;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.OutputLock;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.checkpoint.StagedDirectory;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.interop.GraphArchitecture;
import org.edgeq.interop.ImportRefusedException;
import org.edgeq.interop.NameRule;
import org.edgeq.interop.OnnxGraphReader;
import org.edgeq.interop.StateDictImport;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.study.DataLoading;
import org.edgeq.study.TrainingData;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq import}: makes an EdgeQ model directory from a PyTorch state dict (safetensors) or an ONNX model. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Make a model directory (model.json, model.safetensors, split.json, as 'edgeq train --out' writes) from weights "
                        + "trained elsewhere, for eval, info, quantize, prune, qat, distill and hwsim.",
                "",
                "--weights FILE.safetensors --arch MODEL: a PyTorch state dict (torch.save is not read: save it with "
                        + "safetensors.torch.save_file(model.state_dict(), FILE)). Names are recognised without --map: "
                        + "EdgeQ's own (net.0.weight), nn.Sequential's (0.weight, 3.weight: indices skip ReLU, Dropout, "
                        + "Flatten) and any common prefix (net., model.) or named parts (features., classifier.), by matching "
                        + "the order and shapes of the model's tensors: Linear weight [out, in], Conv2d [out, in, k, k], "
                        + "BatchNorm weight, bias, running_mean, running_var (num_batches_tracked is ignored). --map "
                        + "EDGEQ=FILE rules name the tensors instead. Every tensor is checked; a missing or misshaped "
                        + "one is refused in one line naming it with both shapes, and nothing is written.",
                "",
                "--onnx FILE.onnx: an ONNX graph of Gemm, MatMul+Add, Conv, BatchNormalization, Relu, MaxPool, Flatten "
                        + "and Add (residual blocks); any other op is refused by name. A graph without Conv becomes a dense "
                        + "network of its widths; one with Conv must be cnn-small, cnn-seed or resnet9 layer for layer. "
                        + "The scaling edgeq export writes into a graph (Sub, then Mul or Div, on the input; Mul, then Add, on "
                        + "a regression output) is recognised and replaced by EdgeQ's own (--scaling edgeq).",
                "",
                "--dataset names the data the model is for: its input shape and classes must be the model's, split.json "
                        + "holds its split (60/20/20 by --seed, as edgeq train makes it), and with --scaling edgeq (the "
                        + "default) model.json records EdgeQ's standardisation fitted on that training split, which eval "
                        + "and the compression commands then apply. A model trained on raw features needs --scaling none.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  # a PyTorch nn.Sequential(Linear(10,10), ReLU(), Linear(10,2)) trained on standardised telescope features",
                "  edgeq import --weights mlp.safetensors --arch dense-simple --dataset telescope --out runs/imported",
                "  edgeq eval --model runs/imported",
                "  # names EdgeQ cannot guess: fc1 and fc2 of a custom module",
                "  edgeq import --weights mlp.safetensors --arch dense-simple --dataset telescope --out runs/m \\",
                "      --map net.0.weight=fc1.weight,net.0.bias=fc1.bias --map 'net.2.{p}=fc2.{p}'",
                "  # torch.onnx.export(model.eval(), x, 'cnn.onnx') of a cnn-small on Fashion-MNIST",
                "  edgeq import --onnx cnn.onnx --dataset fashion-mnist --scaling none --out runs/cnn",
                "",
                "Exit codes: 0 imported, 2 bad input (the tensor, node or option named; nothing written)."})
final class ImportCommand implements Callable<Integer> {

    /** Whether the imported model's inputs are standardised; an enum so that --help lists the choices. */
    enum Scaling {
        EDGEQ, NONE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--weights", paramLabel = "FILE", description = "A PyTorch state dict saved as safetensors (needs --arch).")
    Path weights;

    @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX model (weights inside the file, as torch.onnx.export writes them).")
    Path onnx;

    @Option(names = "--arch", paramLabel = "MODEL",
            description = "The architecture the weights are for: ${COMPLETION-CANDIDATES} (as edgeq train --model; needed with "
                    + "--weights; with --onnx it only checks the graph against this one).")
    ModelChoice arch;

    @Option(names = "--hidden", paramLabel = "N", split = ",", converter = Ranges.HiddenWidth.class,
            description = "Hidden layer widths of --arch dense (default: 64,32).")
    List<Integer> hidden;

    @Option(names = "--dropout", paramLabel = "P", converter = Ranges.Fraction.class,
            description = "Dropout recorded for later training (qat, distill) of dense and cnn-small models (default: the architecture's); it does not change any weight.")
    Float dropout;

    @Option(names = "--map", paramLabel = "EDGEQ=FILE", split = ",",
            description = "Read EdgeQ's tensor EDGEQ from the file's tensor FILE; {name} stands for one dotted part, the same on both "
                    + "sides (net.{i}.weight=layers.{i}.w). With rules, tensors no rule names keep their own names, and every "
                    + "tensor of the file must be used.")
    List<String> map;

    @Option(names = "--dataset", paramLabel = "NAME|FILE", required = true,
            description = "The dataset the model is for (a name as in edgeq train, or a file).")
    String dataset;

    @Option(names = "--target", paramLabel = "COLUMN", description = "Target column of a generic CSV file.")
    String target;

    @Option(names = "--scaling", paramLabel = "NAME", defaultValue = "edgeq",
            description = "Inputs the model expects: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: tabular features and a "
                    + "regression target standardised as edgeq train does, fitted on the training split; none: as the file holds them).")
    Scaling scaling;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The model directory to make; built beside DIR and renamed into place when complete, so DIR is absent or whole.")
    Path out;

    @Option(names = "--overwrite", description = "Allow --out to replace a model already saved in DIR.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((weights == null) == (onnx == null)) throw new UsageException("give one of --weights FILE.safetensors and --onnx FILE.onnx");
        if (weights != null && arch == null) {
            throw new UsageException("--weights needs --arch (one of " + String.join(", ", Arrays.stream(ModelChoice.values()).map(ModelChoice::cliName).toList()) + ")");
        }
        if (onnx != null && map != null) throw new UsageException("--map applies to --weights (an ONNX graph's layers are read in order)");
        List<NameRule> rules = new ArrayList<>();
        if (map != null) for (String m : map) rules.add(NameRule.parse(m));
        Path file = weights != null ? weights : onnx;
        if (!Files.isRegularFile(file)) throw new InputException("edgeq import: " + file + ": not a file", null);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " is a file, not a directory");
        try (OutputLock ignored = OutputGuard.lock(spec, "--out", out)) {
            return importModel(stdout, err, file, rules);
        }
    }

    private Integer importModel(PrintWriter stdout, PrintWriter err, Path file, List<NameRule> rules) throws IOException {
        StagedDirectory.cleanStale(out);
        boolean replaces = Files.exists(out.resolve(Checkpoint.WEIGHTS)) || Files.exists(out.resolve(Checkpoint.DESCRIPTION));
        if (replaces && !overwrite) throw new UsageException("--out " + out + " already holds a model; choose another directory or add --overwrite");
        List<String> foreign = StagedDirectory.foreignEntries(out, TrainCommand.MODEL_FILES);
        if (!foreign.isEmpty()) throw new UsageException("--out " + out + " holds files that are not a model's (" + String.join(", ", foreign) + ")");

        TrainingData data = TrainingData.prepare(DataLoading.registry(common.dataDir), dataset, target, false, common.seed, 0);
        Dataset all = data.all();
        try (TensorScope scope = new TensorScope()) {
            Imported imported;
            try {
                imported = weights != null ? fromStateDict(file, rules, all.featureShape(), data.outputs(), scope)
                        : fromOnnx(file, all.task(), all.featureShape(), data.outputs(), scope);
            } catch (ImportRefusedException e) {
                throw new InputException("edgeq import: " + e.getMessage(), e);
            }
            TrainingMetadata metadata = metadata(data, file);
            ModelDescription description = new ModelDescription(imported.config(), metadata);
            Map<String, Double> metrics;
            try (StagedDirectory staged = StagedDirectory.begin(out, TrainCommand.MODEL_FILES)) {
                Checkpoint.saveDescription(staged.path(), description);
                Checkpoint.saveSplit(staged.path(), all.name(), all.size(), data.split());
                Checkpoint.saveWeights(staged.path(), imported.stateDict(), description);
                // What eval will read (names, shapes, finite weights), measured on the test split before it appears:
                // the compression commands compare against these figures, as against a trained model's.
                SavedModel saved = Checkpoint.read(staged.path());
                metrics = testMetrics(saved, metadata, all.subset(data.split().test()), err);
                Checkpoint.saveDescription(staged.path(), new ModelDescription(imported.config(), metadata.withMetrics(metrics)));
                staged.publish();
            }
            long parameters = 0;
            for (Tensor t : imported.stateDict().values()) parameters += t.numel();
            report(stdout, err, file, imported, parameters, metrics);
        }
        return ExitCodes.OK;
    }

    /** A model read from a file: its architecture, its state dict under EdgeQ's names and where each tensor came from. */
    private record Imported(String label, ModelConfig config, Map<String, Tensor> stateDict, Map<String, String> sources) {
    }

    private Imported fromStateDict(Path file, List<NameRule> rules, int[] featureShape, int outputs, TensorScope scope) throws IOException {
        ModelConfig config = arch.config(featureShape, outputs, hidden, dropout);
        ModelFactory.layerShapes(config);
        StateDictImport.Result r = StateDictImport.read(file, config, arch.cliName(), rules, scope);
        return new Imported(arch.cliName(), config, r.stateDict(), r.sources());
    }

    private Imported fromOnnx(Path file, Task task, int[] featureShape, int outputs, TensorScope scope) throws IOException {
        OnnxGraphReader.Graph graph = OnnxGraphReader.read(file);
        if (graph.standardisesInput() && scaling != Scaling.EDGEQ) {
            throw new ImportRefusedException(file, "the graph standardises its input itself (Sub, then Mul or Div, as edgeq export "
                    + "writes); import it with --scaling edgeq, which fits that standardisation on --dataset's training split");
        }
        // The dropped tail is only honoured where EdgeQ scales a target in its place: regression under --scaling edgeq.
        if (graph.scalesOutput() && task != Task.REGRESSION) {
            throw new ImportRefusedException(file, "the graph ends by scaling a regression prediction (Mul, then Add, as edgeq export "
                    + "writes) but --dataset " + dataset + " is " + task.toString().toLowerCase(Locale.ROOT) + "; import it with its "
                    + "regression dataset");
        }
        if (graph.scalesOutput() && scaling != Scaling.EDGEQ) {
            throw new ImportRefusedException(file, "the graph ends by scaling its prediction itself (Mul, then Add, as edgeq export "
                    + "writes); import it with --scaling edgeq, which fits that target scaling on --dataset's training split");
        }
        if (graph.inputShape().isPresent() && !graph.inputShape().get().equals(Shape.of(featureShape))) {
            throw new ImportRefusedException(file, "the graph's input is " + graph.inputShape().get() + " per sample but --dataset "
                    + dataset + " has " + Shape.of(featureShape));
        }
        int graphOutputs = GraphArchitecture.outputs(graph.layers());
        if (graphOutputs != outputs) {
            throw new ImportRefusedException(file, "the graph ends in " + graphOutputs + " outputs but --dataset " + dataset + " needs " + outputs);
        }
        List<String> steps;
        try {
            steps = GraphArchitecture.steps(graph.layers(), Shape.of(featureShape));
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(file, "the graph's layers do not chain on input " + Shape.of(featureShape) + ": " + e.getMessage());
        }
        List<GraphArchitecture.Candidate> candidates = arch != null
                ? List.of(new GraphArchitecture.Candidate(arch.cliName(), arch.config(featureShape, outputs, hidden, dropout)))
                : GraphArchitecture.candidates(graph.layers(), featureShape, outputs);
        if (candidates.isEmpty()) throw new ImportRefusedException(file, "a graph with Conv needs image inputs [C, H, W]; --dataset " + dataset + " has " + Shape.of(featureShape));
        String why = null;
        for (GraphArchitecture.Candidate c : candidates) {
            String difference = GraphArchitecture.difference(steps, c.label(), GraphArchitecture.steps(c.config()));
            if (difference == null) {
                Map<String, Tensor> state = GraphArchitecture.stateDict(file, graph.layers(), c.config(), scope);
                Map<String, String> sources = new LinkedHashMap<>();
                state.keySet().forEach(k -> sources.put(k, "graph"));
                return new Imported(c.label(), c.config(), state, sources);
            }
            if (why == null) why = difference;
        }
        throw new ImportRefusedException(file, "the graph is none of EdgeQ's architectures"
                + (candidates.size() > 1 ? " (" + String.join(", ", candidates.stream().map(GraphArchitecture.Candidate::label).toList()) + ")" : "")
                + "; " + why);
    }

    /** The imported model's figures on {@code testRows}, scaled as model.json says: what edgeq train records as metrics. */
    private Map<String, Double> testMetrics(SavedModel saved, TrainingMetadata metadata, Dataset testRows, PrintWriter err) throws IOException {
        Dataset rows = metadata.preprocessing().apply(testRows);
        try (Backend backend = BackendSelection.open(common, err);
             Model net = ModelFactory.create(saved.description().config(), backend, common.seed)) {
            saved.loadInto(net.stateDict(), net.backend());
            Evaluation test = Evaluator.evaluate(net, rows, 256);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("test_loss", test.loss());
            if (metadata.task() == Task.CLASSIFICATION) {
                metrics.put("test_acc", test.accuracy());
            } else {
                double units = metadata.targetScale() == null ? 1 : metadata.targetScale().std() * metadata.targetScale().std();
                metrics.put("test_mse", test.mse() * units);
                metrics.put("r2", test.r2());
            }
            return metrics;
        }
    }

    private TrainingMetadata metadata(TrainingData data, Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", arch != null ? arch.cliName() : "imported");
        settings.put("imported_from", file.toAbsolutePath().normalize().toString());
        settings.put("scaling", scaling.toString());
        TrainingMetadata edgeq = data.metadata(dataset, common.seed, settings);
        if (scaling == Scaling.EDGEQ) return edgeq;
        return new TrainingMetadata(edgeq.dataset(), edgeq.source(), edgeq.task(), edgeq.classNames(), null, null, null,
                common.seed, settings, Map.of());
    }

    private void report(PrintWriter stdout, PrintWriter err, Path file, Imported imported, long parameters, Map<String, Double> metrics) {
        if (common.json) {
            JsonLine json = new JsonLine().put("command", "import").put("from", file.toString())
                    .put("format", weights != null ? "safetensors" : "onnx").put("architecture", imported.label())
                    .put("tensors", imported.stateDict().size()).put("parameters", parameters)
                    .put("scaling", scaling.toString());
            metrics.forEach(json::put);
            stdout.println(json.put("out", out.toString()));
            return;
        }
        if (weights != null) {
            imported.sources().forEach((name, source) -> err.printf(Locale.ROOT, "  %-28s <- %s %s%n", name, source,
                    imported.stateDict().get(name).shape()));
        }
        stdout.printf(Locale.ROOT, "imported %s as %s: %d tensors, %,d values (inputs: %s)%n", file, imported.label(),
                imported.stateDict().size(), parameters, scaling == Scaling.EDGEQ ? "standardised on the training split" : "as they are");
        if (metrics.containsKey("test_acc")) {
            stdout.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f (its test split)%n", metrics.get("test_acc"), metrics.get("test_loss"));
        } else {
            stdout.printf(Locale.ROOT, "test R² %.4f, test MSE %.6g (its test split)%n", metrics.get("r2"), metrics.get("test_mse"));
        }
        stdout.println("saved to " + out);
    }
}
