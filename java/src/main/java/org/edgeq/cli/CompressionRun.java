package org.edgeq.cli;

import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.study.ResultRow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rows of one compression command over a model under study: measures each compressed model, exports it (into
 * its own folder under --out when exports are kept, else only to count its bytes), records the row, and ends with
 * the command's JSON line.
 */
final class CompressionRun {
    private final ModelUnderStudy study;
    private final StudyOutput output;
    private final Path out;
    private final int batchSize;

    /** The names a row goes by in the results: the model, the method, its set or format ("" if none) and the precision. */
    record RowLabel(String model, String method, String binMethod, String precision) {
    }

    private CompressionRun(ModelUnderStudy study, StudyOutput output, Path out, int batchSize) {
        this.study = study;
        this.output = output;
        this.out = out;
        this.batchSize = batchSize;
    }

    /** Checks the CSV (bad header: exit 2) before any work; nothing is written yet. */
    static CompressionRun open(ModelUnderStudy study, StudyOutputOptions options, CommonOptions common,
                               PrintWriter stdout, PrintWriter err) throws IOException {
        StudyOutput output = StudyOutput.open(StudyOutput.csvPath(options.csv, options.out), stdout, err, common.json);
        return new CompressionRun(study, output, options.out, options.batchSize);
    }

    /** Figures of {@code net} on the study's training and test rows, in batches of --batch-size. */
    ModelUnderStudy.Measurement measure(Model net) {
        return study.measure(net, batchSize);
    }

    /** Records a row that has nothing to export (the FP32 model it starts from). */
    void add(ResultRow row) throws IOException {
        output.add(row);
    }

    /** Exports {@code net} as a row of the study's own architecture and records the row. */
    ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                  ModelUnderStudy.Measurement m, RowLabel label) throws IOException {
        return add(net, codes, meta, rowDir, m, label, study.description.config());
    }

    /** As {@link #add(Model, Map, Map, String, ModelUnderStudy.Measurement, RowLabel)} for a model of another architecture (a distilled student). */
    ResultRow add(Model net, Map<String, QuantizedTensor> codes, Map<String, String> meta, String rowDir,
                  ModelUnderStudy.Measurement m, RowLabel label, ModelConfig config) throws IOException {
        Path dir = out == null ? null : out.resolve(rowDir);
        long size = ModelUnderStudy.export(net, codes, meta, dir);
        ResultRow row = m.row(label.model(), label.method(), label.binMethod(), label.precision(), ModelUnderStudy.sparsity(net), size);
        if (dir != null) study.describeExport(dir, row, config);
        output.add(row);
        return row;
    }

    /** The JSON line's opening fields for a command over {@code --model}: the command, the model, its architecture and dataset. */
    JsonLine head(String command) {
        return new JsonLine().put("command", command).put("model", study.dir.toString())
                .put("architecture", study.description.config().architecture()).put("dataset", study.all.name());
    }

    /** Prints the JSON line (under --json, with --out, the CSV and the rows after {@code head}) or where the CSV went. */
    void finish(JsonLine head) {
        output.finish(head.put("out", out == null ? null : out.toString()));
    }
}
