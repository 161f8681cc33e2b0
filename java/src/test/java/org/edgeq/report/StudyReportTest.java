package org.edgeq.report;

import org.edgeq.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's files from results files: they exist, every PNG is a drawn chart, and the pages reference them all. */
class StudyReportTest {

    @TempDir
    Path dir;

    private StudyReport.Written writeFixtureReport(Path out) throws Exception {
        return StudyReport.writeFiles(out, List.of(ReportFixtures.writeToy(dir.resolve("toy.csv")),
                ReportFixtures.seedFixture("quantization.csv"), ReportFixtures.seedFixture("pruning.csv")));
    }

    @Test
    void aReportFromASchemaV2FileAndTheSeedFixturesHasItsFilesAndEveryPlotIsADrawnChart() throws Exception {
        Path out = dir.resolve("report");
        StudyReport.Written w = writeFixtureReport(out);
        assertEquals(out.resolve("report.html"), w.html());
        assertEquals(out.resolve("summary.md"), w.markdown());
        assertTrue(Files.size(w.html()) > 1000);
        assertTrue(Files.size(w.markdown()) > 300);
        assertFalse(w.plots().isEmpty());
        for (Path png : w.plots()) ReportImages.assertChart(png, ChartPainter.WIDTH, ChartPainter.HEIGHT);

        Set<String> names = new HashSet<>();
        for (Path p : w.plots()) names.add(p.getFileName().toString());
        // toy: rounding and stochastic vs bits, sparsity, size, energy, latency; toyreg: rounding vs bits, size,
        // energy, latency; the seed fixture's churn, telescope, fashion-mnist, ... vs bits and churn's sparsity.
        for (String expected : List.of("toy-dense-simple-bits-rounding.png", "toy-dense-simple-bits-stochastic.png",
                "toy-dense-simple-sparsity.png", "toy-dense-simple-size.png", "toy-dense-simple-energy.png",
                "toy-dense-simple-latency.png", "toyreg-dense-simple-bits-rounding.png", "toyreg-dense-simple-size.png",
                "churn-dense-simple-bits-stochastic.png", "churn-dense-simple-sparsity.png")) {
            assertTrue(names.contains(expected), expected + " in " + names);
        }
        assertFalse(names.contains("churn-dense-simple-size.png"), "the seed's tables have no sizes: no such plot");
    }

    @Test
    void theHtmlReferencesEveryPlotAndEveryReferenceResolves() throws Exception {
        Path out = dir.resolve("report");
        StudyReport.Written w = writeFixtureReport(out);
        String html = Files.readString(w.html());
        List<String> srcs = ReportImages.imageSources(html);
        assertEquals(new HashSet<>(srcs), ReportImages.plotFiles(out), "the page shows exactly the plots written");
        assertEquals(srcs.size(), new HashSet<>(srcs).size(), "each plot once");
        for (String src : srcs) assertTrue(Files.isRegularFile(out.resolve(src)), src + " resolves beside report.html");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "nothing to fetch, nothing to run: the page reads offline");
        for (String says : List.of("Best variant per budget", "smallest model within 1 point of FP32",
                "lowest estimated energy within 2 points of FP32", "fastest within 1 point of FP32",
                "most compressed within 0.5 points of FP32", "stochastic · uniform · 8-bit", "0.1.0-test",
                "estimate (this process&#39;s CPU time × TDP / cores)", "model (edgeq hwsim", "Pareto front",
                "no FP32 baseline row in quantization.csv", "the seed study&#39;s quantization table")) {
            assertTrue(html.contains(says), "report.html says " + says);
        }

        String md = Files.readString(w.markdown());
        for (String src : srcs) assertTrue(md.contains("](" + src + ")"), "summary.md shows " + src);
        assertTrue(md.contains("- Pareto front: rounding · uniform · 2-bit (150 B, 70.00%);"), md);
        assertTrue(md.contains("; FP32 ×2 (1,000 B, 90.00%)\n"), "the two equal FP32 rows said once: " + md);
        assertTrue(md.contains("| toy / dense-simple · seed 1 | EdgeQ: toy.csv | smallest model within 1 point of FP32 | "
                + "stochastic · uniform · 8-bit | 89.30% | -0.70 pt | 380 B (0.38× FP32) |"), md);
    }

    @Test
    void plotsWithoutAFigureAreLeftOutAndSaidSo() throws Exception {
        StudyReport.Written w = writeFixtureReport(dir.resolve("report"));
        Report r = w.report();
        SourcedRow.Subject churn = new SourcedRow.Subject("churn", "dense-simple");
        assertTrue(r.subjectNotes().get(churn).stream().anyMatch(n -> n.contains("no row has size_bytes")
                && n.contains("the seed's tables record no sizes")), r.subjectNotes().get(churn).toString());
        ChartSpec sparsity = r.charts(churn).stream().filter(c -> c.fileName().endsWith("sparsity.png")).findFirst().orElseThrow();
        assertTrue(sparsity.notes().stream().anyMatch(n -> n.contains("drawn at the requested pruning ratio")), sparsity.notes().toString());
        ChartSpec toySize = r.charts(new SourcedRow.Subject("toy", "dense-simple")).stream()
                .filter(c -> c.fileName().endsWith("size.png")).findFirst().orElseThrow();
        assertTrue(toySize.notes().stream().anyMatch(n -> n.contains("1 variant is more than 10 points worse")
                && n.contains("rounding · uniform · 2-bit")), toySize.notes().toString());
        // By size: 2-bit 150 B at 70%, pruned 90% 200 B at 87.9%, stochastic 4-bit 240 B at 88.2%, rounding 4-bit
        // 250 B at 88.5%, stochastic 8-bit 380 B at 89.3%, rounding 8-bit 400 B at 89.7%, pruned 50% 600 B at 89.9%,
        // and both identical FP32 rows (1000 B, 90%); nothing else is on it.
        assertEquals(List.of("rounding · uniform · 2-bit", "prune-oneshot · seed · 90%", "stochastic · uniform · 4-bit",
                        "rounding · uniform · 4-bit", "stochastic · uniform · 8-bit", "rounding · uniform · 8-bit",
                        "prune-oneshot · seed · 50%", "FP32", "FP32"),
                toySize.front().stream().map(ChartSpec.FrontPoint::label).toList());
    }

    @Test
    void theStudyEntryPointWritesTheSameFilesFromRowsInMemoryAndDropsStalePlots() throws Exception {
        Path out = dir.resolve("study");
        Files.createDirectories(out.resolve("plots"));
        Path stale = Files.writeString(out.resolve("plots/old-plot.png"), "not a plot");
        StudyReport.Written w = StudyReport.write(out, ReportFixtures.toyRows());
        assertTrue(Files.exists(out.resolve("report.html")));
        assertTrue(Files.exists(out.resolve("summary.md")));
        assertFalse(Files.exists(stale), "a PNG the report no longer draws is removed");
        assertEquals(ReportImages.plotFiles(out), new HashSet<>(ReportImages.imageSources(Files.readString(w.html()))));
        assertTrue(Files.readString(w.html()).contains("study results"));
    }

    @Test
    void theSeedsAndEdgeqsCurvesAreDrawnSideBySide() throws Exception {
        Path seedTables = SharedData.require("seed-results/churn_simple_quantization.csv").getParent();
        Path edgeq = ReportFixtures.writeToy(dir.resolve("toy.csv"));
        // An EdgeQ file about the seed's churn model: the toy rows renamed.
        List<String> lines = Files.readAllLines(edgeq).stream().map(l -> l.replaceFirst("^toy,", "churn,")).toList();
        Files.write(edgeq, lines);
        StudyReport.Written w = StudyReport.writeFiles(dir.resolve("side"), List.of(
                seedTables.resolve("churn_simple_quantization.csv"), seedTables.resolve("churn_simple_pruning.csv"), edgeq));
        ChartSpec rounding = w.report().charts(new SourcedRow.Subject("churn", "dense-simple")).stream()
                .filter(c -> c.fileName().equals("churn-dense-simple-bits-rounding.png")).findFirst().orElseThrow();
        List<String> names = rounding.curves().stream().map(ChartSpec.Curve::name).toList();
        assertTrue(names.contains("EdgeQ: uniform") && names.contains("seed: uniform"), names.toString());
        assertEquals(names.indexOf("EdgeQ: uniform") + 1, names.indexOf("seed: uniform"), "the pair sits together in the legend");
        for (Path png : w.plots()) ReportImages.assertChart(png, ChartPainter.WIDTH, ChartPainter.HEIGHT);
    }
}
