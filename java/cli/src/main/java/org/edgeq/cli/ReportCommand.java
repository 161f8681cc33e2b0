package org.edgeq.cli;

import org.edgeq.data.DataFormatException;
import org.edgeq.report.BestVariants;
import org.edgeq.report.ReportSource;
import org.edgeq.report.ResultsFiles;
import org.edgeq.report.StudyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq report}: rebuilds the HTML report, Markdown summary and plots from results files of either kind. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Draw the report of one or more results files: EdgeQ's (schema v2, from quantize/prune/qat/distill/study) "
                        + "and the reference study's own quantization and pruning tables, told apart by their header, drawn side "
                        + "by side (curves labelled EdgeQ and seed, the reference study). Writes DIR/report.html (no network needed), DIR/summary.md "
                        + "and DIR/plots/*.png: quality vs weight bits per method, vs sparsity, and vs size on disk, "
                        + "estimated energy and latency with the Pareto front; and the best variant per budget (smallest "
                        + "within 1 point of FP32, lowest estimated energy within 2, fastest within 1, most compressed "
                        + "within 0.5). Every file is read before anything is written; a bad one is refused with file:line.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq report results.csv",
                "  edgeq report ../shared/data/seed-results/*.csv runs/churn.csv --out report-churn",
                "  edgeq report study-out/results.csv --json | tail -n 1"})
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "Results files: EdgeQ's schema-v2 CSVs or the reference study's (seed) tables.")
    List<Path> files;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "report",
            description = "Directory for report.html, summary.md and plots/ (default: ${DEFAULT-VALUE}; created if absent).")
    Path out;

    @Option(names = "--json", description = "Also print one JSON object on the last line of stdout: the files written, "
            + "the sources read and the best variant per budget.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        List<ReportSource> sources;
        try {
            sources = ResultsFiles.readAll(files);
        } catch (DataFormatException e) {
            throw new InputException(e.getMessage(), e);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " is a file, not a directory");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UsageException("--out " + out + ": cannot create the directory (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (!Files.isWritable(out)) throw new UsageException("--out " + out + ": the directory is not writable");

        StudyReport.Written w = StudyReport.writeSources(out, sources);
        for (String line : w.bestVariants()) stdout.println(line);
        stdout.println("report: " + w.html());
        stdout.println("summary: " + w.markdown());
        stdout.println("plots: " + w.plots().size() + " in " + out.resolve(StudyReport.PLOTS));
        if (json) stdout.println(json(w, sources));
        return ExitCodes.OK;
    }

    private static String json(StudyReport.Written w, List<ReportSource> sources) {
        JsonLine j = new JsonLine();
        j.put("report", w.html().toString());
        j.put("summary", w.markdown().toString());
        j.put("plots", w.plots().stream().map(Path::toString).toList());
        List<Map<String, Object>> src = new ArrayList<>();
        for (ReportSource s : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", s.file() == null ? null : s.file().toString());
            m.put("format", s.format().name().toLowerCase(Locale.ROOT));
            m.put("origin", s.origin());
            m.put("rows", s.rows().size());
            m.put("notes", s.notes());
            src.add(m);
        }
        j.put("sources", src);
        List<Map<String, Object>> best = new ArrayList<>();
        for (BestVariants.Line l : w.report().best()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", l.group().subject().dataset());
            m.put("model", l.group().subject().model());
            m.put("seed", l.group().seed());
            m.put("source", l.group().source().file() == null ? l.group().source().name() : l.group().source().file().toString());
            m.put("budget", l.budget().question());
            m.put("metric", l.metric().label());
            if (l.choice().isPresent()) {
                BestVariants.Choice c = l.choice().get();
                m.put("variant", c.label());
                m.put("row", c.row().index() + 1);
                m.put("quality", finite(c.quality()));
                m.put("baseline_quality", finite(c.baselineQuality()));
                m.put("cost", finite(c.cost()));
                m.put("baseline_cost", finite(c.baselineCost()));
            } else {
                m.put("variant", null);
                m.put("reason", l.reason());
            }
            best.add(m);
        }
        j.put("best", best);
        return j.toString();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
