package org.edgeq.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCsvTest {

    @TempDir
    Path dir;

    /** A PTQ row of a classification model with every figure filled in except energy. */
    static ResultRow row(String method, int bits, double acc) {
        return ResultRow.builder().dataset("telescope").model("dense-simple").seed(42L)
                .recipe(ResultRow.Recipe.method(method).withSet("uniform").withGranularity("per-tensor").withWeightBits(bits))
                .trainLoss(0.5).trainAcc(0.75).testLoss(0.25).testAcc(acc)
                .sparsity(0.0).sizeBytes(1234L).latencyMsP50(0.125)
                .edgeqVersion("0.1.0-SNAPSHOT").build();
    }

    @Test
    void headerIsSchemaV2InTheDocumentedOrder() {
        assertEquals(List.of("dataset", "model", "seed", "method", "set", "granularity", "observer", "w_bits", "a_bits",
                "prune_scope", "prune_ratio", "sparsity", "train_loss", "train_acc", "test_loss", "test_acc", "test_mse",
                "test_r2", "size_bytes", "latency_ms_p50", "latency_ms_p99", "throughput_per_s", "peak_bytes", "macs", "bops",
                "energy_j", "energy_source", "energy_j_per_sample", "seconds", "est_energy_uj_per_inference", "export_path",
                "edgeq_version", "cell_id", "quant_method", "bin_method", "precision"), ResultRow.COLUMNS);
    }

    @Test
    void aStudyCellsRowsAreAppendedTogetherWithTheirCellIdAndReadBack() throws Exception {
        Path file = dir.resolve("cells.csv");
        List<ResultRow> cell = List.of(row("rounding", 8, 0.85).toBuilder().cellId("0123456789ab").build(),
                row("rounding", 4, 0.80).toBuilder().cellId("0123456789ab").build());
        ResultsCsv.open(file).append(row("affine", 8, 0.86));
        ResultsCsv.open(file).append(cell);
        List<ResultRow> back = ResultsCsv.read(file);
        assertEquals("", back.getFirst().cell("cell_id"), "a plain command's row has no cell");
        assertEquals(cell, back.subList(1, 3));
        assertEquals(3, Files.readAllLines(file).size() - 1);
    }

    @Test
    void aV2FileFromBeforeTheCellIdColumnTakesPlainRowsInItsOwnLayoutButNoCellRows() throws Exception {
        Path file = dir.resolve("v2-before-cells.csv");
        List<String> header = new ArrayList<>(ResultRow.COLUMNS);
        header.remove("cell_id");
        Files.writeString(file, String.join(",", header) + "\n");
        ResultsCsv.open(file).append(row("rounding", 8, 0.85));
        assertEquals(String.join(",", header), Files.readAllLines(file).getFirst(), "the header kept");
        assertEquals(header.size(), Files.readAllLines(file).get(1).split(",", -1).length, "the row in the file's own layout");
        assertEquals(List.of(row("rounding", 8, 0.85)), ResultsCsv.read(file), "read back with cell_id empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsCsv.open(file).append(row("rounding", 4, 0.8).toBuilder().cellId("0123456789ab").build()));
        assertTrue(e.getMessage().startsWith(file + ":1: a results file from before the cell_id column"), e.getMessage());
        assertEquals(2, Files.readAllLines(file).size(), "nothing appended");
    }

    /** The header of schema v2 before its measurement columns, as EdgeQ wrote it until issue 9. */
    private static final List<String> V2_BEFORE_MEASUREMENTS = List.of("dataset", "model", "seed", "method", "set", "granularity",
            "observer", "w_bits", "a_bits", "prune_scope", "prune_ratio", "sparsity", "train_loss", "train_acc", "test_loss", "test_acc",
            "test_mse", "test_r2", "size_bytes", "latency_ms_p50", "energy_j", "energy_source", "export_path", "edgeq_version",
            "quant_method", "bin_method", "precision");

    @Test
    void everyMeasurementFigureGoesToItsColumnAndReadsBack() throws Exception {
        ResultRow r = row("affine", 8, 0.86).toBuilder().aBits(8).latencyMsP99(0.25).throughputPerS(12_345.5).peakBytes(987_654_321L)
                .macs(1_218_048L).bops(1_218_048L * 64).energy(1.5, "estimate").energyJPerSample(2.5e-5).seconds(3.25)
                .estEnergyUjPerInference(4.75).build();
        assertEquals("0.125", r.cell("latency_ms_p50"));
        assertEquals("0.25", r.cell("latency_ms_p99"));
        assertEquals("12345.5", r.cell("throughput_per_s"));
        assertEquals("987654321", r.cell("peak_bytes"));
        assertEquals("1218048", r.cell("macs"));
        assertEquals("77955072", r.cell("bops"));
        assertEquals("2.5e-5", r.cell("energy_j_per_sample"));
        assertEquals("3.25", r.cell("seconds"));
        assertEquals("4.75", r.cell("est_energy_uj_per_inference"));
        Path file = dir.resolve("m.csv");
        ResultsCsv.open(file).append(r);
        assertEquals(List.of(r), ResultsCsv.read(file));
    }

    @Test
    void aV2FileFromBeforeTheMeasurementColumnsIsReadWithThemEmptyButNotAppendedTo() throws Exception {
        Path file = dir.resolve("v2-early.csv");
        ResultRow full = row("rounding", 8, 0.85);
        List<String> cells = new ArrayList<>();
        for (String c : V2_BEFORE_MEASUREMENTS) cells.add(full.cell(c));
        String text = String.join(",", V2_BEFORE_MEASUREMENTS) + "\n" + String.join(",", cells) + "\n";
        Files.writeString(file, text);
        List<ResultRow> rows = ResultsCsv.read(file);
        assertEquals(List.of(full), rows, "the row, its measurement cells empty as they were never set");
        assertEquals("", rows.getFirst().cell("macs"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file));
        assertTrue(e.getMessage().startsWith(file + ":1: a results file of schema v2 from before its measurement columns"), e.getMessage());
        assertEquals(text, Files.readString(file), "left alone");
    }

    @Test
    void headerIsWrittenOnceAndEveryAppendAddsOneRow() throws Exception {
        Path file = dir.resolve("sub/results.csv");
        ResultsCsv csv = ResultsCsv.open(file);
        csv.append(row("rounding", 8, 0.85));
        csv.append(row("rounding", 4, 0.80));
        ResultsCsv.open(file).append(row("stochastic", 2, 0.5).toBuilder().set("uniform, \"quoted\"").build()); // a later run
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(String.join(",", ResultRow.COLUMNS), lines.getFirst());
        List<ResultRow> rows = ResultsCsv.read(file);
        assertEquals(3, rows.size());
        assertEquals("0.85", rows.get(0).cell("test_acc"));
        assertEquals("4", rows.get(1).cell("w_bits"));
        assertEquals("4", rows.get(1).cell("precision"), "the seed's precision is the weight width");
        assertEquals("uniform, \"quoted\"", rows.get(2).cell("set"), "commas and quotes survive");
        assertEquals("", rows.get(2).cell("energy_j"), "an energy nobody measured is an empty cell");
        assertEquals("none", rows.get(2).cell("energy_source"));
        assertEquals("1234", rows.get(2).cell("size_bytes"));
    }

    @Test
    void rowsReadBackEqualTheRowsWritten() throws Exception {
        Path file = dir.resolve("r.csv");
        List<ResultRow> written = List.of(
                row("rounding", 8, 1.0 / 3),
                ResultRow.builder().dataset("california").model("dense-simple").seed(7L)
                        .recipe(ResultRow.Recipe.method("prune-oneshot+affine").withSet("int-sym").withObserver("minmax")
                                .withWeightBits(4).withActivationBits(8).withPruning("2:4", 0.5))
                        .trainLoss(0.1).testLoss(0.2).testMse(1.5e9).testR2(0.61).sparsity(0.4999).sizeBytes(99L)
                        .latencyMsP50(1e-5).exportPath("/tmp/x/model.eqz").edgeqVersion("v").build());
        ResultsCsv csv = ResultsCsv.open(file);
        for (ResultRow r : written) csv.append(r);
        assertEquals(written, ResultsCsv.read(file), "doubles are written in full and read back exactly");
    }

    /** Appends two rows to the file named in args[0], then dies without cleanup, as a run killed with -9 would. */
    public static final class AppendTwoRowsThenDie {
        public static void main(String[] args) throws Exception {
            ResultsCsv csv = ResultsCsv.open(Path.of(args[0]));
            csv.append(row("rounding", 8, 0.85));
            csv.append(row("rounding", 4, 0.80));
            Runtime.getRuntime().halt(137);
        }
    }

    @Test
    void aRunThatDiesKeepsEveryFinishedRowAndTheNextRunAppendsAfterThem() throws Exception {
        Path file = dir.resolve("results.csv");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendTwoRowsThenDie.class.getName(), file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child process finished");
        String childOutput = new String(p.getInputStream().readAllBytes());
        assertEquals(137, p.exitValue(), childOutput);

        ResultsCsv.open(file).append(row("stochastic", 2, 0.5));
        List<ResultRow> rows = ResultsCsv.read(file);
        assertEquals(List.of("8", "4", "2"), rows.stream().map(r -> r.cell("w_bits")).toList());
        assertEquals(1, Files.readAllLines(file).stream().filter(l -> l.startsWith("dataset,")).count(), "one header");
    }

    @Test
    void aV1ResultsFileIsRefusedNamingTheFileAndWhatToDo() throws Exception {
        Path file = dir.resolve("old.csv");
        String v1 = String.join(",", ResultsCsv.V1_COLUMNS) + "\ndense-simple,none,,32,0.3,0.86,0.3,0.86,0,5000,0.1,,none\n";
        Files.writeString(file, v1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file));
        assertTrue(e.getMessage().startsWith(file + ":1: a results file of schema v1"), e.getMessage());
        assertTrue(e.getMessage().contains("Write to a new file, or move this one aside"), e.getMessage());
        assertEquals(v1, Files.readString(file), "left alone");
        DataFormatException read = assertThrows(DataFormatException.class, () -> ResultsCsv.read(file));
        assertTrue(read.getMessage().contains(file + ":1:") && read.getMessage().contains("dataset"), read.getMessage());
    }

    @Test
    void fileWithAnotherHeaderIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file));
        assertTrue(e.getMessage().startsWith(file + ":1: header"), e.getMessage());
        assertTrue(e.getMessage().contains("write to another file"), e.getMessage());
        assertEquals("a,b\n1,2\n", Files.readString(file));
    }

    @Test
    void aRowCutOffByAFullDiskIsMovedToTheTornFileAndTheNextRowStartsOnACleanLine() throws Exception {
        // Defect 7's reproduction: disk full in the middle of an append left "dense-simple,ro" at the end of the file.
        Path file = dir.resolve("torn.csv");
        ResultsCsv.open(file).append(row("rounding", 8, 0.85));
        String whole = Files.readString(file);
        Files.writeString(file, whole + "telescope,dense-simple,ro");
        List<String> notices = new ArrayList<>();

        ResultsCsv.open(file, notices::add).append(row("rounding", 4, 0.80));

        assertEquals(List.of(file + ":3: a row cut off while it was written (25 bytes) was moved to " + file + ".torn; "
                + "appending after the complete rows"), notices, "reported in one line");
        assertEquals("telescope,dense-simple,ro\n", Files.readString(dir.resolve("torn.csv.torn")), "the torn row kept aside");
        assertEquals(List.of("8", "4"), ResultsCsv.read(file).stream().map(r -> r.cell("w_bits")).toList(),
                "the new row is whole, on its own line");
    }

    @Test
    void aSecondTornRowIsAppendedToTheTornFile() throws Exception {
        Path file = dir.resolve("results.csv");
        ResultsCsv.open(file).append(row("rounding", 8, 0.85));
        String whole = Files.readString(file);
        Files.writeString(file, whole + "dense-simple,ro");
        ResultsCsv.open(file, s -> { });
        Files.writeString(file, whole + "telescope,dense");
        ResultsCsv.open(file, s -> { });
        assertEquals("dense-simple,ro\ntelescope,dense\n", Files.readString(dir.resolve("results.csv.torn")));
        assertEquals(whole, Files.readString(file));
    }

    @Test
    void aHeaderCutOffBeforeItsEndIsSetAsideAndWrittenAgain() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "dataset,model,se");
        ResultsCsv.open(file, s -> { }).append(row("rounding", 8, 0.85));
        assertEquals(1, ResultsCsv.read(file).size());
        assertEquals("dataset,model,se\n", Files.readString(dir.resolve("results.csv.torn")));
    }

    @Test
    void aRowGluedOntoATornRowByAnEarlierVersionIsRefusedWithItsLineAndLeftAlone() throws Exception {
        Path file = dir.resolve("glued.csv");
        ResultsCsv.open(file).append(row("rounding", 8, 0.85));
        String whole = Files.readString(file);
        String glued = whole + "dense-simple,ro" + ResultsCsv.text(List.of(row("rounding", 4, 0.8)), false);
        Files.writeString(file, glued);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file, s -> { }));
        assertTrue(e.getMessage().startsWith(file + ":3: " + (ResultRow.COLUMNS.size() + 1) + " cells where the header has "
                + ResultRow.COLUMNS.size()), e.getMessage());
        assertEquals(glued, Files.readString(file), "left alone");
        assertTrue(Files.notExists(dir.resolve("glued.csv.torn")));
    }

    @Test
    void aShortRowInTheMiddleIsRefusedWithItsLine() throws Exception {
        Path file = dir.resolve("short.csv");
        ResultsCsv.open(file).append(row("rounding", 8, 0.85));
        Files.writeString(file, "telescope,dense-simple\n" + ResultsCsv.text(List.of(row("rounding", 4, 0.8)), false),
                java.nio.file.StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file));
        assertTrue(e.getMessage().startsWith(file + ":3: 2 cells where the header has"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void aForeignHeaderIsQuotedCutToSixtyCharactersWithControlCharactersEscaped() throws Exception {
        Path file = dir.resolve("foreign.csv");
        Files.writeString(file, "dataset,m" + "\0".repeat(5000) + ",x\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file, s -> { }));
        assertTrue(e.getMessage().startsWith(file + ":1: header 'dataset,m\\x00\\x00"), e.getMessage());
        assertTrue(e.getMessage().length() < file.toString().length() + 250 && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void emptyFileGetsTheHeader() throws Exception {
        Path file = dir.resolve("empty.csv");
        Files.createFile(file);
        ResultsCsv.open(file).append(row("affine", 8, 0.86));
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void jsonKeysAreTheCsvColumnsWithNumbersAsNumbersAndEmptyCellsAsNull() throws Exception {
        ResultRow r = row("rounding", 4, 0.8573);
        JsonNode json = new ObjectMapper().valueToTree(r.asMap());
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) keys.add(it.next());
        assertEquals(ResultRow.COLUMNS, keys);
        assertTrue(json.get("w_bits").isIntegralNumber() && json.get("seed").isIntegralNumber() && json.get("precision").isIntegralNumber());
        assertTrue(json.get("test_acc").isDouble() && json.get("size_bytes").isIntegralNumber());
        assertEquals(0.8573, json.get("test_acc").asDouble(), 0.0);
        for (String empty : List.of("observer", "a_bits", "prune_scope", "prune_ratio", "test_mse", "test_r2", "energy_j", "export_path")) {
            assertTrue(json.get(empty).isNull(), empty + " is null: " + json);
            assertEquals("", r.cell(empty), empty);
        }
        assertEquals("regular_rounding", json.get("quant_method").asText());
        assertEquals("uniform_range", json.get("bin_method").asText());
        List<String> cells = r.cells();
        for (int i = 0; i < cells.size(); i++) {
            Object v = r.asMap().get(ResultRow.COLUMNS.get(i));
            assertEquals(v == null ? "" : v instanceof Double d ? CsvNumbers.format(d) : v.toString(), cells.get(i), ResultRow.COLUMNS.get(i));
        }
    }

    @Test
    void numbersAreWrittenInFullAndShortAndNaNIsEmpty() {
        assertEquals("0.3333333333333333", CsvNumbers.format(1.0 / 3));
        assertEquals("100", CsvNumbers.format(100.0));
        assertEquals("0.8573", CsvNumbers.format(0.8573));
        assertEquals("1e-5", CsvNumbers.format(1e-5));
        assertEquals("1.5e20", CsvNumbers.format(1.5e20));
        assertEquals("", CsvNumbers.format(Double.NaN));
        assertEquals("", CsvNumbers.format(Double.POSITIVE_INFINITY));
        assertEquals(1e-5, CsvNumbers.parse("c", "1e-5"));
        assertTrue(Double.isNaN(CsvNumbers.parse("c", "nan")), "pandas' NaN");
        for (String bad : List.of("Infinity", "1f", "0x1p3", "abc", "-", "e")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvNumbers.parse("test_acc", bad), bad);
            assertTrue(e.getMessage().contains("test_acc") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void readingGoesByColumnNameSoReorderedAndExtraColumnsAreFine() throws Exception {
        Path file = dir.resolve("wide.csv");
        List<String> header = new ArrayList<>(ResultRow.COLUMNS);
        List<String> cells = new ArrayList<>(row("rounding", 6, 0.9).cells());
        java.util.Collections.reverse(header);
        java.util.Collections.reverse(cells);
        header.add("latency_ms_p999"); // a column of a later schema
        cells.add("0.5");
        Files.writeString(file, String.join(",", header) + "\n" + String.join(",", cells) + "\n");
        List<ResultRow> rows = ResultsCsv.read(file);
        assertEquals(List.of(row("rounding", 6, 0.9)), rows);
    }

    @Test
    void aBadCellOrAMissingColumnIsAFileLineError() throws Exception {
        Path file = dir.resolve("bad.csv");
        ResultsCsv csv = ResultsCsv.open(file);
        csv.append(row("rounding", 8, 0.85));
        csv.append(row("rounding", 4, 0.80));
        Files.writeString(file, Files.readString(file).replace(",0.8,", ",eighty,"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ResultsCsv.read(file));
        assertEquals(file + ":3: column test_acc: 'eighty' is not a number", e.getMessage());

        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "dataset,model\ntelescope,dense-simple\n");
        e = assertThrows(DataFormatException.class, () -> ResultsCsv.read(narrow));
        assertTrue(e.getMessage().startsWith(narrow + ":1: not a results file of schema v2: the header lacks seed, method"), e.getMessage());

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, String.join(",", ResultRow.COLUMNS) + "\n1,2,3\n");
        e = assertThrows(DataFormatException.class, () -> ResultsCsv.read(ragged));
        assertEquals(ragged + ":2: 3 cells, but the header has 36", e.getMessage());
    }

    @Test
    void theBaselineRowIsMarkedByItsMethod() {
        ResultRow base = ResultRow.builder().dataset("churn").model("dense-simple").recipe(ResultRow.Recipe.fp32()).build();
        assertTrue(base.isBaseline());
        assertEquals("fp32", base.cell("method"));
        assertEquals("32", base.cell("w_bits"));
        assertEquals("fp32", base.cell("quant_method"));
        assertEquals("", base.cell("bin_method"));
        assertNull(base.value("a_bits"));
    }
}
