package org.edgeq.cli;

import org.edgeq.study.ModelChoice;
import org.edgeq.backend.Backend;
import org.edgeq.backend.Backends;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.EncodedTensor;
import org.edgeq.export.ModelExporter;
import org.edgeq.export.TensorEncoding;
import org.edgeq.metrics.LayerBits;
import org.edgeq.metrics.MemoryPeak;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.metrics.ModelProfile;
import org.edgeq.metrics.ModelProfiler;
import org.edgeq.metrics.PeakMemory;
import org.edgeq.metrics.UnmeteredEnergy;
import org.edgeq.metrics.VariantFigures;
import org.edgeq.metrics.VariantMeter;
import org.edgeq.nn.LayerShape;
import org.edgeq.nn.LayerSummary;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import picocli.CommandLine.ArgGroup;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

/** {@code edgeq info}: layers, parameters, multiply-accumulates and bytes of a saved model or an architecture, and with --metrics every cost figure. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a model's layers with output shapes, parameters, MACs per sample and bytes, and the "
                + "totals. Give a saved model directory (a trained model, or a compression command's row folder "
                + "holding model.eqz), or an architecture with its input shape; an architecture is described from its "
                + "shapes alone, without allocating its weights.",
                "",
                "--metrics adds what the variant costs: per layer and in total its parameters, non-zeros and weight "
                        + "sparsity, MACs per inference dense and effective (zero weights skipped: dense x the layer's "
                        + "non-zero weight fraction; Linear in x out, Conv2d out x in x k x k x Hout x Wout; batch norm, "
                        + "pooling and biases count none), bit-operations (BOPs = effective MACs x weight bits x "
                        + "activation bits, 32 where not quantized; an export's widths are read from it), the bytes each "
                        + "layer's tensors take where stored and the file's size on disk. For a saved model it also runs "
                        + "it: batch-1 latency p50/p90/p99 after a warm-up, throughput at --eval-batch-size, and peak "
                        + "memory (JVM heap + off-heap tensors + device tensors) during inference and during one FP32 "
                        + "training step (forward, backward, Adam) at --train-batch-size. Inputs are synthetic standard-"
                        + "normal values (EdgeQ's kernels take the same time whatever the values); an export with "
                        + "quantized activations runs with them, as its rows were measured.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeq info --model runs/telescope",
                "  edgeq info --arch cnn-small --input-shape 1,28,28 --outputs 10",
                "  edgeq info --arch dense --hidden 20,40 --input-shape 10 --outputs 2 --json",
                "  edgeq info --metrics --model runs/fm",
                "  edgeq info --metrics --model runs/fm-qat/qat-w8a8 --json",
                "  edgeq info --metrics --arch dense --hidden 20000,20000 --input-shape 10 --outputs 2   (no weights allocated)"})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Exactly one of a saved model or an architecture spec. */
    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "Model directory written by 'edgeq train --out DIR', or a row folder of a compression command's --out (model.eqz).")
        Path modelDir;

        @ArgGroup(exclusive = false)
        ArchSpec arch;
    }

    /** An architecture described on the command line. */
    static final class ArchSpec {
        @Option(names = "--arch", paramLabel = "MODEL", required = true, description = "Architecture: ${COMPLETION-CANDIDATES}.")
        ModelChoice arch;

        @Option(names = "--input-shape", paramLabel = "D", split = ",", required = true, converter = Ranges.AtLeastOne.class,
                description = "Per-sample input shape, e.g. 10 (tabular) or 1,28,28 (images).")
        int[] inputShape;

        @Option(names = "--outputs", paramLabel = "N", defaultValue = "10", converter = Ranges.AtLeastOne.class, description = "Classes, or 1 for regression (default: ${DEFAULT-VALUE}).")
        int outputs;

        @Option(names = "--hidden", paramLabel = "N", split = ",", converter = Ranges.HiddenWidth.class, description = "Hidden widths of --arch dense.")
        List<Integer> hidden;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--metrics", description = "Also show parameters, non-zeros, sparsity, dense and effective MACs, BOPs and "
            + "stored bytes per layer, and for a saved model its latency, throughput and peak memory (see above).")
    boolean metrics;

    @Option(names = "--json", description = "Print the totals as one JSON object on the last line of stdout.")
    boolean json;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "With --metrics --model: the backend that runs the model, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendChoice backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = Ranges.Threads.class,
            description = "With --metrics --model: worker threads of the CPU backend (default: one per available processor).")
    int threads;

    @Mixin
    MeasurementOptions measurement;

    @Option(names = "--train-batch-size", paramLabel = "N", converter = Ranges.BatchSize.class,
            description = "With --metrics --model: samples of the training step whose memory peak is shown (default: the model's training batch size, else 64).")
    Integer trainBatchSize;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (source.modelDir == null) return describeArchitecture(stdout);
        Path dir = source.modelDir;
        if (!Files.isDirectory(dir)) throw new UsageException("--model " + dir + ": no such directory");
        boolean exported = !Files.exists(dir.resolve(Checkpoint.WEIGHTS)) && Files.exists(dir.resolve(CompressedModelFile.FILE_NAME));
        SavedModel saved = exported ? null : Checkpoint.read(dir);
        CompressedModelFile.Contents export = exported ? CompressedModelFile.read(dir.resolve(CompressedModelFile.FILE_NAME)) : null;
        if (export != null) export.decodeAll(); // a corrupt export is refused before anything else happens
        ModelDescription description = exported ? Checkpoint.readDescription(dir) : saved.description();
        ModelConfig config = exported ? export.config() : description.config();
        if (!metrics) {
            try (Backend cpu = Backends.choose("cpu").provider().create(1); Model net = build(config, saved, export, cpu)) {
                printSummary(stdout, config, net.summary());
                return ExitCodes.OK;
            }
        }
        BackendSelection.refuseUnavailable(backend);
        CommonOptions common = new CommonOptions();
        common.backend = backend;
        common.threads = threads;
        try (Backend b = BackendSelection.open(common, err); Model net = build(config, saved, export, b)) {
            Path file = dir.resolve(exported ? CompressedModelFile.FILE_NAME : Checkpoint.WEIGHTS);
            ModelProfile profile = ModelProfiler.of(net, exported ? exportBits(net, export) : LayerBits.FP32,
                    exported ? storedBytes(export) : null).withFileBytes(Files.size(file));
            MeterOptions options = measurement.meterOptions();
            String activations = exported ? export.metadata().get("activations") : null;
            VariantFigures figures;
            try (QatHook inputs = activations == null ? null : ActivationRanges.restore(net, ActivationRanges.fromJson(activations))) {
                figures = new VariantMeter(options, new UnmeteredEnergy()).measure(net, null, null);
            }
            int trainBatch = trainBatchSize != null ? trainBatchSize
                    : Integer.parseInt(description.training() == null ? "64" : description.training().settings().getOrDefault("batch_size", "64"));
            Task task = description.training() == null ? Task.CLASSIFICATION : description.training().task();
            MemoryPeak training = new PeakMemory(true).during(() -> trainingStep(net, task, trainBatch), figures.peak().deviceBytes() != null);
            ModelMetricsReport report = new ModelMetricsReport(dir, file, config, profile, figures, training, trainBatch,
                    b.description(), activations != null);
            if (json) stdout.println(report.json());
            else report.print(stdout);
            return ExitCodes.OK;
        }
    }

    /** The architecture from the command line, described from its shapes: nothing is allocated, whatever its size. */
    private Integer describeArchitecture(PrintWriter stdout) {
        ArchSpec s = source.arch;
        ModelConfig config = s.arch.config(s.inputShape, s.outputs, s.hidden, null);
        List<LayerShape> shapes;
        try {
            shapes = ModelFactory.layerShapes(config);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--arch " + s.arch + " --input-shape " + Arrays.toString(s.inputShape) + ": " + e.getMessage());
        }
        if (!metrics) {
            printSummary(stdout, config, shapes.stream().map(LayerShape::summary).toList());
            return ExitCodes.OK;
        }
        ModelMetricsReport report = new ModelMetricsReport(null, null, config, ModelProfiler.fromShapes(shapes, LayerBits.FP32),
                null, null, 0, null, false);
        if (json) stdout.println(report.json());
        else report.print(stdout);
        return ExitCodes.OK;
    }

    private static Model build(ModelConfig config, SavedModel saved, CompressedModelFile.Contents export, Backend backend) throws IOException {
        if (export != null) return ModelExporter.load(export, backend, 0);
        Model net = ModelFactory.create(config, backend, 0);
        try {
            saved.loadInto(net.stateDict(), net.backend()); // proves the checkpoint fits the architecture
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Each weight layer's widths as its export stores them: the code bits of its weight where they are a quantizer's
     * (affine codes; a codebook of an export that names a quantization method), else 32 (F32 values, also where the
     * exporter stored the few distinct values of a pruned FP32 weight as a lossless codebook); its activation bits
     * where the export quantizes them, else 32.
     */
    static LayerBits exportBits(Model net, CompressedModelFile.Contents export) {
        Map<String, EncodedTensor> tensors = new HashMap<>();
        for (EncodedTensor t : export.tensors()) tensors.put(t.name(), t);
        String method = export.metadata().get("quant_method");
        boolean quantized = method != null && !method.equals("distill");
        Map<String, Integer> w = new LinkedHashMap<>();
        for (WeightLayerRef l : net.weightLayers()) {
            EncodedTensor t = tensors.get(l.weight().name());
            boolean codes = t != null && (t.encoding() == TensorEncoding.AFFINE || (t.encoding() == TensorEncoding.CODEBOOK && quantized));
            w.put(l.path(), codes ? t.bits() : 32);
        }
        Map<String, Integer> a = new LinkedHashMap<>();
        String activations = export.metadata().get("activations");
        if (activations != null) ActivationRanges.fromJson(activations).forEach((layer, r) -> a.put(layer, r.bits()));
        return new LayerBits(32, 32, w, a);
    }

    /** Bytes each tensor's encoded form takes in the export. */
    private static ToLongFunction<String> storedBytes(CompressedModelFile.Contents export) {
        Map<String, Long> bytes = new HashMap<>();
        for (EncodedTensor t : export.tensors()) bytes.put(t.name(), (long) t.data().length);
        return name -> bytes.getOrDefault(name, 0L);
    }

    /** One training step (forward, loss, backward, Adam) on {@code batch} synthetic samples. */
    private static void trainingStep(Model net, Task task, int batch) {
        int f = Math.toIntExact(net.inputShape().numel());
        int k = Math.toIntExact(net.outputShape().numel());
        Random random = new Random(1);
        float[] x = new float[Math.multiplyExact(batch, f)];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        int[] labels = null;
        float[] targets = null;
        if (task == Task.CLASSIFICATION) {
            labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = random.nextInt(k);
        } else {
            targets = new float[batch];
            for (int i = 0; i < batch; i++) targets[i] = (float) random.nextGaussian();
        }
        Dataset data = new Dataset("synthetic", task, batch, net.inputShape().dims(), x, labels, targets,
                task == Task.CLASSIFICATION ? k : 0, List.of(), List.of());
        new Trainer(TrainingConfig.seedDefaults(1).withEpochs(1).withBatchSize(batch)).train(net, data, null, null);
    }

    private void printSummary(PrintWriter stdout, ModelConfig config, List<LayerSummary> rows) {
        long params = 0;
        long macs = 0;
        long bytes = 0;
        for (LayerSummary r : rows) {
            params += r.parameters();
            macs += r.macsPerSample();
            bytes += r.bytes();
        }
        if (json) {
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerSummary r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("type", r.type());
                m.put("output_shape", r.outputShape().dims());
                m.put("parameters", r.parameters());
                m.put("macs", r.macsPerSample());
                m.put("bytes", r.bytes());
                layers.add(m);
            }
            stdout.println(new JsonLine().put("command", "info").put("architecture", config.architecture())
                    .put("input_shape", config.inputShape()).put("outputs", config.outputs())
                    .put("layers", rows.size()).put("parameters", params).put("macs", macs).put("bytes", bytes)
                    .put("layer_table", layers));
            return;
        }
        stdout.printf("%-22s %-18s %-16s %12s %14s %12s%n", "layer", "type", "output", "params", "MACs/sample", "bytes");
        for (LayerSummary r : rows) {
            stdout.printf("%-22s %-18s %-16s %,12d %,14d %,12d%n", r.name(), r.type(), r.outputShape(),
                    r.parameters(), r.macsPerSample(), r.bytes());
        }
        stdout.printf("%-22s %-18s %-16s %,12d %,14d %,12d%n", "total (" + rows.size() + " layers)", "", "", params, macs, bytes);
    }
}
