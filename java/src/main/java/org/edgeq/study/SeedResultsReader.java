package org.edgeq.study;

import org.edgeq.data.DataFormatException;
import org.edgeq.data.Quote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the seed study's own results tables (pandas CSVs: an unnamed index column, quoted multi-line model_artifact
 * cells) into schema-v2 rows, so that its figures and EdgeQ's can be compared and drawn side by side. Two shapes:
 * quantization tables ({@code model, quant_method, bin_method, precision, model_artifact, train_loss, train_acc,
 * test_loss, test_acc}; the archived ones say method instead of quant_method and may lack bin_method) and pruning
 * tables ({@code model, pruning_percentage, model_artifact, pruned_model_artifact, ...}). Names go through
 * {@link SeedNames}; a name it does not know is kept as it is and reported in {@link Result#notes()}, never dropped.
 * Figures the seed did not record (seed, sizes, latency, sparsity, MSE in the target's units) stay empty.
 */
public final class SeedResultsReader {
    private SeedResultsReader() {
    }

    /** Which of the seed's tables a file is. */
    public enum Kind { QUANTIZATION, PRUNING }

    /**
     * A seed table read into schema-v2 rows.
     *
     * @param file  the file read
     * @param kind  its shape
     * @param rows  one row per record, in file order
     * @param notes names kept as they are because EdgeQ does not know them, each as "file:line: ..." once with the
     *              number of rows it occurs in
     */
    public record Result(Path file, Kind kind, List<ResultRow> rows, List<String> notes) {
    }

    private static final List<String> FIGURES = List.of("train_loss", "train_acc", "test_loss", "test_acc");

    /** Reads one seed table; a file of neither shape, a missing column or a bad number is a file:line error. */
    public static Result read(Path file) throws IOException, DataFormatException {
        CsvTable table = CsvTable.read(file);
        List<String> h = table.header();
        Kind kind;
        String methodColumn = null;
        if (h.contains("pruning_percentage")) {
            kind = Kind.PRUNING;
        } else if (h.contains("quant_method") || h.contains("method")) {
            kind = Kind.QUANTIZATION;
            methodColumn = h.contains("quant_method") ? "quant_method" : "method";
        } else {
            throw DataFormatException.atLine(file, 1, "not one of the seed's results tables: the header " + ResultsCsv.quoted(String.join(",", h))
                    + " has neither quant_method nor pruning_percentage");
        }
        List<String> required = new ArrayList<>(List.of("model"));
        required.add(kind == Kind.PRUNING ? "pruning_percentage" : methodColumn);
        if (kind == Kind.QUANTIZATION) required.add("precision");
        required.addAll(FIGURES);
        Map<String, Integer> col = table.columns(required, "one of the seed's results tables");
        Integer binColumn = col.get("bin_method");

        Notes notes = new Notes(file);
        List<ResultRow> rows = new ArrayList<>(table.records().size());
        for (CsvTable.Row r : table.records()) {
            List<String> cells = r.cells();
            try {
                ResultRow.Builder b = ResultRow.builder().energySource(ResultRow.NO_ENERGY);
                SeedNames.Model m = SeedNames.model(cells.get(col.get("model")));
                if (!m.known()) notes.add(r.line(), "model " + Quote.of(cells.get(col.get("model"))));
                b.dataset(m.dataset()).model(m.model());
                if (kind == Kind.PRUNING) {
                    b.method("prune-oneshot").pruneScope("seed").wBits(32)
                            .pruneRatio(CsvNumbers.parse("pruning_percentage", cells.get(col.get("pruning_percentage"))));
                } else {
                    String qm = cells.get(col.get(methodColumn));
                    String bm = binColumn == null ? "" : cells.get(binColumn);
                    SeedNames.Translation t = SeedNames.fromSeed(qm, bm);
                    if (!t.knownMethod()) notes.add(r.line(), methodColumn + " " + Quote.of(qm));
                    if (!t.knownSet()) notes.add(r.line(), "bin_method " + Quote.of(bm));
                    b.method(t.method()).set(t.set()).wBits(precision(cells.get(col.get("precision"))));
                }
                b.trainLoss(figure(cells, col, "train_loss")).trainAcc(figure(cells, col, "train_acc"))
                        .testLoss(figure(cells, col, "test_loss")).testAcc(figure(cells, col, "test_acc"));
                rows.add(b.build());
            } catch (IllegalArgumentException e) {
                throw DataFormatException.atLine(file, r.line(), e.getMessage());
            }
        }
        return new Result(file, kind, List.copyOf(rows), notes.list());
    }

    private static double figure(List<String> cells, Map<String, Integer> col, String name) {
        String cell = cells.get(col.get(name));
        return cell.isBlank() ? Double.NaN : CsvNumbers.parse(name, cell);
    }

    private static int precision(String cell) {
        String s = cell.strip();
        try {
            int bits = Integer.parseInt(s);
            if (bits >= 0 && bits <= 64) return bits;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("column precision: " + Quote.of(s) + " is not a bit width 0..64");
    }

    /** Unknown names, each reported once at its first line with the number of rows it occurs in. */
    private static final class Notes {
        private final Path file;
        private final Map<String, long[]> seen = new LinkedHashMap<>(); // name -> {first line, rows}

        Notes(Path file) {
            this.file = file;
        }

        void add(long line, String what) {
            seen.computeIfAbsent(what, k -> new long[]{line, 0})[1]++;
        }

        List<String> list() {
            List<String> out = new ArrayList<>();
            seen.forEach((what, at) -> out.add(file + ":" + at[0] + ": " + what + " is not a name EdgeQ knows; kept as it is ("
                    + at[1] + (at[1] == 1 ? " row)" : " rows)")));
            return List.copyOf(out);
        }
    }
}
