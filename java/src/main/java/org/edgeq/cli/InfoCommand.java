package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.backend.Backends;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.nn.LayerSummary;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq info}: layers, parameters, multiply-accumulates and bytes of a saved model or an architecture. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a model's layers with output shapes, parameters, MACs per sample and bytes, and the "
                + "totals. Give a saved model directory, or an architecture with its input shape.", ""},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeq info --model runs/telescope",
                "  edgeq info --arch cnn-small --input-shape 1,28,28 --outputs 10",
                "  edgeq info --arch dense --hidden 20,40 --input-shape 10 --outputs 2 --json"})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Exactly one of a saved model or an architecture spec. */
    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory written by 'edgeq train --out DIR'.")
        Path modelDir;

        @ArgGroup(exclusive = false)
        ArchSpec arch;
    }

    /** An architecture described on the command line. */
    static final class ArchSpec {
        @Option(names = "--arch", paramLabel = "MODEL", required = true, description = "Architecture: ${COMPLETION-CANDIDATES}.")
        ModelChoice arch;

        @Option(names = "--input-shape", paramLabel = "D", split = ",", required = true,
                description = "Per-sample input shape, e.g. 10 (tabular) or 1,28,28 (images).")
        int[] inputShape;

        @Option(names = "--outputs", paramLabel = "N", defaultValue = "10", description = "Classes, or 1 for regression (default: ${DEFAULT-VALUE}).")
        int outputs;

        @Option(names = "--hidden", paramLabel = "N", split = ",", description = "Hidden widths of --arch dense.")
        List<Integer> hidden;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--json", description = "Print the totals as one JSON object on the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        ModelConfig config;
        SavedModel saved = null;
        if (source.modelDir != null) {
            saved = Checkpoint.read(source.modelDir);
            config = saved.description().config();
        } else {
            ArchSpec s = source.arch;
            for (int d : s.inputShape) if (d < 1) throw new UsageException("--input-shape dimensions must be positive, got " + d);
            if (s.outputs < 1) throw new UsageException("--outputs must be >= 1, got " + s.outputs);
            config = s.arch.config(s.inputShape, s.outputs, s.hidden, null);
        }
        try (Backend backend = Backends.choose("cpu").provider().create(1);
             Model net = ModelFactory.create(config, backend, 0)) {
            if (saved != null) saved.loadInto(net.stateDict(), net.backend()); // proves the checkpoint fits the architecture
            List<LayerSummary> rows = net.summary();
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
                return ExitCodes.OK;
            }
            stdout.printf("%-22s %-18s %-16s %12s %14s %12s%n", "layer", "type", "output", "params", "MACs/sample", "bytes");
            for (LayerSummary r : rows) {
                stdout.printf("%-22s %-18s %-16s %,12d %,14d %,12d%n", r.name(), r.type(), r.outputShape(),
                        r.parameters(), r.macsPerSample(), r.bytes());
            }
            stdout.printf("%-22s %-18s %-16s %,12d %,14d %,12d%n", "total (" + rows.size() + " layers)", "", "", params, macs, bytes);
            return ExitCodes.OK;
        }
    }
}
