package org.edgeq.study;

import org.edgeq.data.DataFormatException;
import org.edgeq.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedResultsReaderTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(SeedResultsReaderTest.class.getResource("/seed-results/" + name), name).toURI());
    }

    @Test
    void aQuantizationTableBecomesSchemaV2RowsWithEdgeqsNames() throws Exception {
        Path file = fixture("quantization.csv");
        SeedResultsReader.Result r = SeedResultsReader.read(file);
        assertEquals(SeedResultsReader.Kind.QUANTIZATION, r.kind());
        assertEquals(12, r.rows().size(), "every record, multi-line model_artifact cells included");
        ResultRow first = r.rows().getFirst();
        assertEquals("churn", first.subject().dataset());
        assertEquals("dense-simple", first.subject().model());
        assertNull(first.subject().seed(), "the seed's tables do not say");
        assertEquals("stochastic", first.recipe().method());
        assertEquals("uniform", first.recipe().set());
        assertEquals(16, first.recipe().wBits());
        assertEquals(0.8561666666666666, first.quality().trainAcc(), 0.0);
        assertEquals(0.8565, first.quality().testAcc(), 0.0);
        assertEquals("stochastic_rounding", first.cell("quant_method"));
        assertEquals("uniform_range", first.cell("bin_method"));
        assertEquals("16", first.cell("precision"));
        assertEquals("none", first.cell("energy_source"));
        assertEquals("", first.cell("edgeq_version"), "not an EdgeQ row");

        assertEquals(List.of("rounding", "rounding", "mid-rise", "mid-rise", "mid-rise", "mid-rise", "multipoint"),
                r.rows().subList(1, 8).stream().map(x -> x.recipe().method()).toList());
        assertEquals("prior-normal", r.rows().get(1).recipe().set(), "prior_normal");
        assertEquals("iqr", r.rows().get(2).recipe().set(), "uniform_range_IQR");
        assertNull(r.rows().get(3).recipe().set(), "mid-rise over the full range");
        assertEquals("iqr", r.rows().get(4).recipe().set(), "mid-rise_iqr");
        assertTrue(Double.isNaN(r.rows().get(4).quality().testLoss()), "an empty loss stays empty");
        assertEquals("fashion-mnist", r.rows().get(5).subject().dataset());
        assertEquals("cnn-seed", r.rows().get(5).subject().model());
        assertEquals("iqr", r.rows().get(6).recipe().set(), "range_IQR");
        assertEquals("resnet9", r.rows().get(7).subject().model());

        ResultRow regression = r.rows().get(8);
        assertEquals("california", regression.subject().dataset());
        assertTrue(Double.isNaN(regression.quality().testAcc()) && Double.isNaN(regression.quality().trainAcc()));
        assertEquals(6188.25, regression.quality().testLoss(), 0.0);
        assertTrue(Double.isNaN(regression.quality().testMse()), "the seed's loss is in its own scaled units, not the data file's");
    }

    @Test
    void unknownNamesAreKeptAsTheyAreAndReportedOnceWithTheirLine() throws Exception {
        Path file = fixture("quantization.csv");
        SeedResultsReader.Result r = SeedResultsReader.read(file);
        assertEquals("cubic_range", r.rows().get(9).recipe().set());
        assertEquals("fancy_rounding", r.rows().get(10).recipe().method());
        assertEquals("cifar_vgg16_model.pt", r.rows().get(10).subject().model());
        assertEquals("cifar10", r.rows().get(10).subject().dataset());
        assertEquals(List.of(
                file + ":24: bin_method 'cubic_range' is not a name EdgeQ knows; kept as it is (1 row)",
                file + ":25: model 'cifar_vgg16_model.pt' is not a name EdgeQ knows; kept as it is (2 rows)",
                file + ":25: quant_method 'fancy_rounding' is not a name EdgeQ knows; kept as it is (2 rows)"), r.notes());
    }

    @Test
    void aPruningTableBecomesSeedScopeRowsAtTheRequestedRatio() throws Exception {
        SeedResultsReader.Result r = SeedResultsReader.read(fixture("pruning.csv"));
        assertEquals(SeedResultsReader.Kind.PRUNING, r.kind());
        assertEquals(3, r.rows().size());
        ResultRow half = r.rows().get(1);
        assertEquals("prune-oneshot", half.recipe().method());
        assertEquals("seed", half.recipe().pruneScope());
        assertEquals(0.5, half.recipe().pruneRatio());
        assertEquals(32, half.recipe().wBits());
        assertTrue(Double.isNaN(half.cost().sparsity()), "the seed did not record the achieved sparsity");
        assertEquals(0.85, half.quality().testAcc(), 0.0);
        assertEquals("california", r.rows().get(2).subject().dataset());
        assertTrue(Double.isNaN(r.rows().get(2).quality().testAcc()));
        assertEquals(List.of(), r.notes());
    }

    @Test
    void malformedTablesAreFileLineErrors() throws Exception {
        String header = ",model,quant_method,bin_method,precision,model_artifact,train_loss,train_acc,test_loss,test_acc\n";
        Path unclosed = dir.resolve("unclosed.csv");
        Files.writeString(unclosed, header + "0,churn_simple.pt,mid_rise,full_range,8,\"ok\",1,0.5,1,0.5\n"
                + "1,churn_simple.pt,mid_rise,full_range,8,\"DenseNeuralNet(\n  (net)\n,1,0.5,1,0.5\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(unclosed));
        assertTrue(e.getMessage().startsWith(unclosed + ":3: "), e.getMessage());

        Path badNumber = dir.resolve("bad.csv");
        Files.writeString(badNumber, header + "0,churn_simple.pt,mid_rise,full_range,8,\"a\nb\",1,0.5,1,0.5\n"
                + "1,churn_simple.pt,mid_rise,full_range,8,\"a\",1,high,1,0.5\n");
        e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(badNumber));
        assertEquals(badNumber + ":4: column train_acc: 'high' is not a number", e.getMessage());

        Path badPrecision = dir.resolve("precision.csv");
        Files.writeString(badPrecision, header + "0,churn_simple.pt,mid_rise,full_range,w8,\"a\",1,0.5,1,0.5\n");
        e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(badPrecision));
        assertEquals(badPrecision + ":2: column precision: 'w8' is not a bit width 0..64", e.getMessage());

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, header + "0,churn_simple.pt,mid_rise\n");
        e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(ragged));
        assertEquals(ragged + ":2: 3 cells, but the header has 10", e.getMessage());

        Path neither = dir.resolve("neither.csv");
        Files.writeString(neither, "a,b\n1,2\n");
        e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(neither));
        assertTrue(e.getMessage().startsWith(neither + ":1: not one of the seed's results tables"), e.getMessage());

        Path noAccuracy = dir.resolve("noacc.csv");
        Files.writeString(noAccuracy, ",model,pruning_percentage,train_loss,test_loss\n0,churn_simple.pt,0.5,1,1\n");
        e = assertThrows(DataFormatException.class, () -> SeedResultsReader.read(noAccuracy));
        assertEquals(noAccuracy + ":1: not one of the seed's results tables: the header lacks train_acc, test_acc", e.getMessage());
    }

    @Test
    void theSeedsOwnTablesAreReadWithEveryRowAccountedFor() throws Exception {
        Path pruning = SharedData.require("seed-results/churn_simple_pruning.csv");
        Path churn = SharedData.require("seed-results/churn_simple_quantization.csv");
        Path fmnist = SharedData.require("seed-results/fmnist_cnn_quantization.csv");

        SeedResultsReader.Result p = SeedResultsReader.read(pruning);
        assertEquals(18, p.rows().size());
        assertEquals(List.of(), p.notes());
        assertEquals(List.of(0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99),
                p.rows().stream().map(x -> x.recipe().pruneRatio()).toList());
        // The published collapse of the seed's churn model: 0.8515 / 0.695 / 0.449 / 0.449 at 0.5 / 0.7 / 0.8 / 0.9.
        assertEquals(List.of(0.8515, 0.695, 0.449, 0.449), List.of(10, 12, 13, 14).stream()
                .map(i -> p.rows().get(i).quality().testAcc()).toList());
        assertTrue(p.rows().stream().allMatch(x -> x.subject().dataset().equals("churn") && x.subject().model().equals("dense-simple")));

        for (Path file : List.of(churn, fmnist)) {
            SeedResultsReader.Result q = SeedResultsReader.read(file);
            assertEquals(60, q.rows().size(), file.toString());
            assertEquals(List.of(), q.notes(), "every name in the seed's tables is known");
            // 4 sets x 6 widths for stochastic and regular rounding, 6 widths each for mid-rise and mid-rise over the IQR.
            assertEquals(24, q.rows().stream().filter(x -> x.recipe().method().equals("stochastic")).count());
            assertEquals(24, q.rows().stream().filter(x -> x.recipe().method().equals("rounding")).count());
            assertEquals(6, q.rows().stream().filter(x -> x.recipe().method().equals("mid-rise") && x.recipe().set() == null).count());
            assertEquals(6, q.rows().stream().filter(x -> x.recipe().method().equals("mid-rise") && "iqr".equals(x.recipe().set())).count());
            assertEquals(List.of(16, 12, 10, 8, 6, 4), q.rows().subList(0, 6).stream().map(x -> x.recipe().wBits()).toList());
        }
        SeedResultsReader.Result c = SeedResultsReader.read(churn);
        assertTrue(Double.isNaN(c.rows().get(59).quality().testLoss()), "the seed left mid-rise_iqr's churn losses empty");
        assertEquals(0.7975, c.rows().get(59).quality().testAcc(), 0.0);
        SeedResultsReader.Result f = SeedResultsReader.read(fmnist);
        ResultRow histogram4 = f.rows().get(47);
        assertEquals("fashion-mnist", histogram4.subject().dataset());
        assertEquals("cnn-seed", histogram4.subject().model());
        assertEquals("rounding", histogram4.recipe().method());
        assertEquals("histogram", histogram4.recipe().set());
        assertEquals(4, histogram4.recipe().wBits());
        assertEquals(0.9136, histogram4.quality().testAcc(), 0.0);
        assertEquals(0.23532699048519135, histogram4.quality().testLoss(), 0.0);
    }
}
