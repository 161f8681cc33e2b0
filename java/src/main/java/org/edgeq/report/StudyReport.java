package org.edgeq.report;

import org.edgeq.data.DataFormatException;
import org.edgeq.study.ResultRow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a report into a directory: {@code report.html}, {@code summary.md} and {@code plots/*.png} beside them.
 * The one entry point both {@code edgeq report} and the study runner use. The PNGs are files rather than data: URIs
 * so that the Markdown summary shows the same images and the page stays small; the directory as a whole is
 * self-contained (no network, no script). PNGs left in plots/ by an earlier report and not drawn again are deleted,
 * so the directory never shows stale plots.
 */
public final class StudyReport {
    private StudyReport() {
    }

    /** The page's file name. */
    public static final String HTML = "report.html";
    /** The summary's file name. */
    public static final String MARKDOWN = "summary.md";
    /** The plots' directory, relative to the report's. */
    public static final String PLOTS = "plots";

    /**
     * What was written.
     *
     * @param html        DIR/report.html
     * @param markdown    DIR/summary.md
     * @param plots       DIR/plots/*.png, in report order
     * @param report      what the files say
     * @param bestVariants the best-variant table as terminal lines
     */
    public record Written(Path html, Path markdown, List<Path> plots, Report report, List<String> bestVariants) {
    }

    /** The report of a finished study's rows (as EdgeQ wrote them) into {@code dir}. */
    public static Written write(Path dir, List<ResultRow> rows) throws IOException {
        return writeSources(dir, List.of(ReportSource.inMemory("study results", rows)));
    }

    /** The report of results files of either kind ({@link ResultsFiles}), all read before anything is written. */
    public static Written writeFiles(Path dir, List<Path> files) throws IOException, DataFormatException {
        return writeSources(dir, ResultsFiles.readAll(files));
    }

    /** The report of {@code sources} into {@code dir} (created if absent). */
    public static Written writeSources(Path dir, List<ReportSource> sources) throws IOException {
        Report report = Report.of(sources);
        Path plotsDir = dir.resolve(PLOTS);
        Files.createDirectories(plotsDir);
        List<Path> plots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ChartSpec c : report.charts()) {
            Path file = plotsDir.resolve(c.fileName());
            ChartPainter.write(c, file);
            plots.add(file);
            names.add(c.fileName());
        }
        removeStale(plotsDir, names);
        String generator = generator();
        Path html = dir.resolve(HTML);
        Path markdown = dir.resolve(MARKDOWN);
        writeAtomically(html, HtmlReport.render(report, PLOTS, generator));
        writeAtomically(markdown, MarkdownSummary.render(report, PLOTS, generator));
        return new Written(html, markdown, List.copyOf(plots), report, BestVariants.toText(report.best()));
    }

    private static void removeStale(Path plotsDir, Set<String> keep) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(plotsDir, "*.png")) {
            for (Path p : old) if (!keep.contains(p.getFileName().toString())) Files.deleteIfExists(p);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The EdgeQ version writing the report, from the jar's manifest. */
    static String generator() {
        String v = StudyReport.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
