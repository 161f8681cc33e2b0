package org.edgeq.cli;

import org.edgeq.export.CompressedModelFile;
import org.edgeq.study.ResultRow;
import org.edgeq.study.RowSink;
import org.edgeq.study.ResultsCsv;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a compression command's rows go: each finished row is appended to the results CSV at once, printed as a
 * line (stdout, or stderr as progress under --json), and with --json all rows end up in one JSON object on the
 * last line of stdout.
 */
final class StudyOutput implements RowSink {
    static final String DEFAULT_CSV = "results.csv";

    private final ResultsCsv csv;
    private final PrintWriter stdout;
    private final PrintWriter err;
    private final boolean json;
    private final List<ResultRow> rows = new ArrayList<>();

    private StudyOutput(ResultsCsv csv, PrintWriter stdout, PrintWriter err, boolean json) {
        this.csv = csv;
        this.stdout = stdout;
        this.err = err;
        this.json = json;
    }

    /** The CSV path: --csv if given, else results.csv in --out if given, else in the current directory. */
    static Path csvPath(Path csvOption, Path out) {
        if (csvOption != null) return csvOption;
        return out != null ? out.resolve(DEFAULT_CSV) : Path.of(DEFAULT_CSV);
    }

    /**
     * Checks the CSV before any work; nothing is written yet. A file that is not a results table (a bad header, a
     * damaged row) is bad input: one line naming the file and line, exit 2.
     */
    static StudyOutput open(Path csvFile, PrintWriter stdout, PrintWriter err, boolean json) throws IOException {
        try {
            return new StudyOutput(ResultsCsv.open(csvFile), stdout, err, json);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** Refuses an --out whose row directories already hold exported models, unless --overwrite. */
    static void checkOut(Path out, List<String> rowDirs, boolean overwrite) {
        if (out == null) return;
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " is a file, not a directory");
        for (String d : rowDirs) {
            if (Files.isSymbolicLink(out.resolve(d))) {
                throw new UsageException("--out " + out + ": " + d + " is a symbolic link; EdgeQ does not write through links it did not create");
            }
        }
        if (overwrite) return;
        for (String d : rowDirs) {
            if (Files.exists(out.resolve(d).resolve(CompressedModelFile.FILE_NAME))) {
                throw new UsageException("--out " + out + " already holds " + d + "/" + CompressedModelFile.FILE_NAME
                        + "; choose another directory or add --overwrite");
            }
        }
    }

    @Override
    public void add(ResultRow row) throws IOException {
        csv.append(row);
        rows.add(row);
        (json ? err : stdout).println(line(row));
    }

    List<ResultRow> rows() {
        return rows;
    }

    /** Prints the JSON object (under --json) or where the CSV went. */
    void finish(JsonLine head) {
        if (json) {
            head.put("csv", csv.file().toString());
            List<Map<String, Object>> list = new ArrayList<>();
            for (ResultRow r : rows) list.add(r.asMap());
            head.put("rows", list);
            stdout.println(head);
        } else {
            stdout.println(rows.size() + " row(s) appended to " + csv.file());
        }
    }

    /** One row as a line for people: what was done, then how well it does and what it costs. */
    static String line(ResultRow r) {
        ResultRow.Recipe k = r.recipe();
        ResultRow.Quality q = r.quality();
        ResultRow.Cost c = r.cost();
        String bits = (k.wBits() == null ? "-" : "w" + k.wBits()) + (k.aBits() == null ? "" : "a" + k.aBits());
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-22s %-10s %-6s", k.method(), k.set() == null ? "-" : k.set(), bits));
        if (k.pruneRatio() != null) b.append(String.format(Locale.ROOT, "  ratio %.2f", k.pruneRatio()));
        if (Double.isFinite(q.testAcc())) b.append(String.format(Locale.ROOT, "  test acc %.4f", q.testAcc()));
        if (Double.isFinite(q.testR2())) b.append(String.format(Locale.ROOT, "  test R² %.4f  MSE %.6g", q.testR2(), q.testMse()));
        b.append(String.format(Locale.ROOT, "  test loss %.4f", q.testLoss()));
        if (Double.isFinite(q.trainAcc())) b.append(String.format(Locale.ROOT, "  train acc %.4f", q.trainAcc()));
        b.append(String.format(Locale.ROOT, "  sparsity %.3f  %,d bytes  latency p50 %.4g ms p99 %.4g ms  %.4g samples/s",
                c.sparsity(), c.sizeBytes(), c.latencyMsP50(), c.latencyMsP99(), c.throughputPerS()));
        if (c.macs() != null) b.append(String.format(Locale.ROOT, "  %,d MACs", c.macs()));
        if (c.peakBytes() != null) b.append(String.format(Locale.ROOT, "  peak %.1f MiB", c.peakBytes() / 1048576.0));
        if (Double.isFinite(c.seconds())) b.append(String.format(Locale.ROOT, "  %.2f s", c.seconds()));
        if (Double.isFinite(c.energyJ())) b.append(String.format(Locale.ROOT, "  %.4g J (%s)", c.energyJ(), c.energySource()));
        return b.toString();
    }
}
