package org.edgeq.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The best-variant table on {@link ReportFixtures}' hand-checked rows (see its table) and on the seed's format. */
class BestVariantsTest {

    @TempDir
    Path dir;

    private Report toyReport() throws Exception {
        return Report.of(List.of(ResultsFiles.read(ReportFixtures.writeToy(dir.resolve("toy.csv")))));
    }

    private static Map<Budget, BestVariants.Line> linesOf(Report r, String dataset) {
        return r.best().stream().filter(l -> l.group().subject().dataset().equals(dataset))
                .collect(Collectors.toMap(BestVariants.Line::budget, l -> l));
    }

    @Test
    void eachBudgetPicksTheCheapestVariantWithinItsPointsOfTheMatchingFp32Row() throws Exception {
        Map<Budget, BestVariants.Line> toy = linesOf(toyReport(), "toy");
        assertEquals(4, toy.size(), "one line per budget");

        BestVariants.Choice smallest = toy.get(Budget.SMALLEST).choice().orElseThrow();
        assertEquals(4, smallest.row().index(), "stochastic 8-bit: 380 B at 89.3%, the smallest at >= 89.0%");
        assertEquals("stochastic · uniform · 8-bit", smallest.label());
        assertEquals(380, smallest.cost());
        assertEquals(1000, smallest.baselineCost());

        BestVariants.Choice energy = toy.get(Budget.LOWEST_ENERGY).choice().orElseThrow();
        assertEquals(5, energy.row().index(), "stochastic 4-bit: 2.4 µJ at 88.2% (>= 88.0%); 2-bit is cheaper but at 70%");

        BestVariants.Choice fastest = toy.get(Budget.FASTEST).choice().orElseThrow();
        assertEquals(7, fastest.row().index(), "the 50% pruned model: 0.65 ms at 89.9%");
        assertEquals(6, fastest.baseline().index(), "measured against the fp32 row its own command wrote (row 6), not row 0");
        assertEquals(1.10, fastest.baselineCost(), 0);
        assertFalse(fastest.standIn());

        BestVariants.Choice compressed = toy.get(Budget.MOST_COMPRESSED).choice().orElseThrow();
        assertEquals(1, compressed.row().index(), "rounding 8-bit: 8 bits/weight at 89.7% (>= 89.5%); 50% pruned stores 16");
        assertEquals(8, compressed.cost());
        assertEquals(-0.3, toy.get(Budget.MOST_COMPRESSED).metric().pointsVersus(compressed.quality(), compressed.baselineQuality()), 1e-9);

        BestVariants.Cells cells = BestVariants.cells(toy.get(Budget.MOST_COMPRESSED));
        assertEquals("most compressed within 0.5 points of FP32", cells.question());
        assertEquals("89.70%", cells.quality());
        assertEquals("-0.30 pt", cells.delta());
        assertEquals("8.00 bits/weight (4.0× compression)", cells.cost());
        assertEquals("smallest model within 1 point of FP32", Budget.SMALLEST.question());
    }

    @Test
    void regressionIsRankedByR2WithAPointOf001() throws Exception {
        Report r = toyReport();
        assertEquals(QualityMetric.R2, r.metrics().get(new SourcedRow.Subject("toyreg", "dense-simple")));
        assertEquals(QualityMetric.ACCURACY, r.metrics().get(new SourcedRow.Subject("toy", "dense-simple")));
        BestVariants.Choice smallest = linesOf(r, "toyreg").get(Budget.SMALLEST).choice().orElseThrow();
        assertEquals(10, smallest.row().index(), "rounding 8-bit: R² 0.795 >= 0.790; 4-bit's 0.700 is out");
    }

    @Test
    void seedTablesHaveNoFp32RowSoThePruningTablesUnprunedRowStandsInAndCostsTheyLackAreSaid() throws Exception {
        Report r = Report.of(ResultsFiles.readAll(List.of(ReportFixtures.seedFixture("pruning.csv"),
                ReportFixtures.seedFixture("quantization.csv"))));
        List<BestVariants.Line> churnPruning = r.best().stream().filter(l -> l.group().source().name().equals("pruning.csv")
                && l.group().subject().dataset().equals("churn")).toList();
        assertEquals(4, churnPruning.size());
        BestVariants.Line size = churnPruning.getFirst();
        assertTrue(size.choice().isEmpty());
        assertEquals("pruning.csv records no size_bytes", size.reason());
        BestVariants.Choice compressed = churnPruning.getLast().choice().orElseThrow();
        assertTrue(compressed.standIn(), "the 0% row stands in for FP32");
        assertEquals(0, compressed.row().index(), "50% pruned is 0.71 points down: the unpruned model is the answer");

        List<BestVariants.Line> churnQuant = r.best().stream().filter(l -> l.group().source().name().equals("quantization.csv")
                && l.group().subject().dataset().equals("churn")).toList();
        assertEquals("no FP32 baseline row in quantization.csv", BestVariants.sameReason(churnQuant).orElseThrow());
    }

    @Test
    void theTerminalTableSaysEachBudgetOnceAndAGroupWithoutBaselineOnce() throws Exception {
        Report r = Report.of(List.of(ResultsFiles.read(ReportFixtures.writeToy(dir.resolve("toy.csv"))),
                ResultsFiles.read(ReportFixtures.seedFixture("quantization.csv"))));
        List<String> text = BestVariants.toText(r.best());
        assertTrue(text.contains("toy / dense-simple / seed 1 (EdgeQ: toy.csv)"), String.join("\n", text));
        assertTrue(text.stream().anyMatch(l -> l.contains("smallest model within 1 point of FP32") && l.contains("stochastic · uniform · 8-bit")
                && l.contains("380 B (0.38× FP32)")), String.join("\n", text));
        assertTrue(text.contains("churn / dense-simple, telescope / dense-complex, fashion-mnist / cnn-seed, cifar10 / resnet9, "
                + "california / dense-simple, mv / dense-complex, cifar10 / cifar_vgg16_model.pt (seed: quantization.csv): "
                + "no FP32 baseline row in quantization.csv"), String.join("\n", text));
    }
}
