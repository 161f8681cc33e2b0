package org.edgeq.study;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.edgeq.data.DataFormatException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The results CSV in schema v2: the header {@link ResultRow#COLUMNS} written once, then the rows appended as they
 * are finished (a command's one at a time, a study cell's together), each append one write forced to disk before
 * the next measurement starts, so that an interrupted run keeps every row it finished and a later run appends after
 * them. An existing file is appended to only if its header is exactly v2's, or v2's from before the cell_id column
 * (then in its own layout, for rows without a cell id), and every complete row has as many cells as the header; one
 * with another header (the v1 header of earlier EdgeQ versions included) or a row of another length is refused,
 * untouched, with a message saying what to do. A cut-off last row (the write that a full disk or a kill interrupted)
 * is moved to {@code <csv>.torn} and reported in one line ({@link TornTail}), so the next row starts on a clean line.
 */
public final class ResultsCsv {

    /** The header EdgeQ wrote before schema v2, recognised so that the refusal can say what the file is. */
    static final List<String> V1_COLUMNS = List.of("model", "quant_method", "bin_method", "precision", "train_loss",
            "train_acc", "test_loss", "test_acc", "sparsity", "size_bytes", "latency_ms", "energy_j", "energy_source");

    /** The v2 header in short, for messages. */
    private static final String SUMMARY = String.join(", ", ResultRow.COLUMNS.subList(0, 4)) + ", ..., "
            + ResultRow.COLUMNS.getLast() + ": " + ResultRow.COLUMNS.size() + " columns";

    /** v2's header before the cell_id column, which such a file keeps when rows without a cell id are appended. */
    private static final List<ResultColumn> BEFORE_CELL_ID = Arrays.stream(ResultColumn.values())
            .filter(c -> c != ResultColumn.CELL_ID).toList();

    private final Path file;
    /** The columns of the file's header, in its order (all of v2's for a new file). */
    private final List<ResultColumn> columns;

    private ResultsCsv(Path file, List<ResultColumn> columns) {
        this.file = file;
        this.columns = columns;
    }

    /** {@link #open(Path, Consumer)} reporting a set-aside torn row on standard error. */
    public static ResultsCsv open(Path file) throws IOException {
        return open(file, System.err::println);
    }

    /**
     * Checks that {@code file} is absent, empty, or a schema-v2 results CSV whose complete rows each have as many cells
     * as its header; nothing is written, except that a cut-off last row is moved to {@code <csv>.torn} and reported to
     * {@code notices} in one line. Throws IllegalArgumentException naming the file (and line) and what to do when the
     * file cannot take rows.
     */
    public static ResultsCsv open(Path file, Consumer<String> notices) throws IOException {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a directory, not a CSV file");
        List<ResultColumn> all = List.of(ResultColumn.values());
        if (!Files.exists(file) || Files.size(file) == 0) return new ResultsCsv(file, all);
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a UTF-8 text file; append the results to another file");
        }
        int clean = TornTail.cleanEnd(bytes);
        if (clean == 0 && ResultsCsv.text(List.of(), true).startsWith(text)) {
            // Only a cut-off header: set it aside; the first append writes the header again.
            report(notices, TornTail.setAside(file, bytes, 0));
            return new ResultsCsv(file, all);
        }
        List<String> header = header(file, text);
        if (header.equals(V1_COLUMNS)) {
            throw new IllegalArgumentException(file + ":1: a results file of schema v1 (model, quant_method, ..., latency_ms, "
                    + "energy_j, energy_source), which EdgeQ no longer appends to; results are now schema v2 ("
                    + SUMMARY + "). Write to a new file, or move this one aside");
        }
        List<String> beforeMeasurements = Arrays.stream(ResultColumn.values()).filter(c -> !c.optionalOnRead())
                .map(ResultColumn::columnName).toList();
        if (header.equals(beforeMeasurements)) {
            throw new IllegalArgumentException(file + ":1: a results file of schema v2 from before its measurement columns "
                    + "(latency_ms_p99, throughput_per_s, peak_bytes, macs, bops, energy_j_per_sample, seconds, "
                    + "est_energy_uj_per_inference); EdgeQ still reads it but appends only under the full header ("
                    + SUMMARY + "). Write to a new file, or move this one aside");
        }
        boolean beforeCellId = header.equals(BEFORE_CELL_ID.stream().map(ResultColumn::columnName).toList());
        if (!header.equals(ResultRow.COLUMNS) && !beforeCellId) {
            throw new IllegalArgumentException(file + ":1: header " + quoted(String.join(",", header)) + " is not the results header (schema v2: "
                    + SUMMARY + "); write to another file, or move this one aside");
        }
        checkCellCounts(file, text.substring(0, new String(bytes, 0, clean, StandardCharsets.UTF_8).length()), header.size());
        report(notices, TornTail.setAside(file, bytes, clean));
        return new ResultsCsv(file, beforeCellId ? BEFORE_CELL_ID : all);
    }

    /** {@code s} quoted for a message: control characters escaped, cut to 60 characters (a foreign header may be megabytes). */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() <= 60; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return "'" + (b.length() <= 60 ? b : b.substring(0, 57) + "...") + "'";
    }

    private static void report(Consumer<String> notices, String line) {
        if (line != null) notices.accept(line);
    }

    /** Every complete line after the header is one row (results cells hold no line breaks) of {@code cells} cells. */
    private static void checkCellCounts(Path file, String complete, int cells) {
        int line = 1;
        int start = complete.indexOf('\n') + 1;
        while (start < complete.length()) {
            int end = complete.indexOf('\n', start);
            line++;
            String row = complete.substring(start, end);
            int found;
            try (CSVParser p = CSVParser.parse(new StringReader(row), CsvTable.FORMAT)) {
                List<CSVRecord> records = p.getRecords();
                found = records.size() == 1 ? records.getFirst().size() : -1;
            } catch (IOException | IllegalStateException | UncheckedIOException e) {
                found = -1;
            }
            if (found != cells) {
                throw new IllegalArgumentException(file + ":" + line + ": " + (found < 0 ? "not one CSV row" : found + " cells")
                        + " where the header has " + cells + " (a row damaged by an earlier run?); repair or delete that line, "
                        + "or write to another file");
            }
            start = end + 1;
        }
    }

    private static List<String> header(Path file, String text) {
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        try (CSVParser p = CSVParser.parse(new StringReader(first), CsvTable.FORMAT)) {
            List<CSVRecord> records = p.getRecords();
            return records.isEmpty() ? List.of() : records.getFirst().toList();
        } catch (IOException | IllegalStateException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ":1: not a CSV header; write to another file, or move this one aside");
        }
    }

    public Path file() {
        return file;
    }

    /** Whether the file takes rows with a cell id (false for a file from before the cell_id column). */
    public boolean takesCellIds() {
        return columns.contains(ResultColumn.CELL_ID);
    }

    /** Appends one row (after the header if the file is new or empty) in one write, then forces it to disk. */
    public void append(ResultRow row) throws IOException {
        append(List.of(row));
    }

    /**
     * Appends {@code rows} (after the header if the file is new or empty) in one write, then forces it to disk: a
     * study cell's rows reach the file together or, if the process dies during the write, as a cut-off tail that
     * {@link #open} reports. A row with a cell id cannot go into a file from before the cell_id column.
     */
    public void append(List<ResultRow> rows) throws IOException {
        if (!columns.contains(ResultColumn.CELL_ID)) {
            for (ResultRow r : rows) {
                if (r.provenance().cellId() != null) {
                    throw new IllegalArgumentException(file + ":1: a results file from before the cell_id column, which rows of a "
                            + "study cell need; write them to a new file, or move this one aside");
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            boolean fresh = ch.size() == 0;
            String text = text(rows, fresh ? List.of(ResultColumn.values()) : columns, fresh);
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
            ch.force(true);
        }
    }

    /**
     * Appends {@code rowLines}, complete rows of v2's full layout as {@link #text} writes them (each ending in a
     * newline), after the header if the file is new or empty, in one write forced to disk: how a study merge copies
     * a cell's rows byte for byte.
     */
    public void appendText(String rowLines) throws IOException {
        if (!columns.contains(ResultColumn.CELL_ID)) {
            throw new IllegalArgumentException(file + ":1: a results file from before the cell_id column, which rows of a "
                    + "study cell need; write them to a new file, or move this one aside");
        }
        if (!rowLines.isEmpty() && !rowLines.endsWith("\n")) throw new IllegalArgumentException("rows must end with a newline");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            String text = (ch.size() == 0 ? text(List.of(), List.of(ResultColumn.values()), true) : "") + rowLines;
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
            ch.force(true);
        }
    }

    /** {@code rows} as CSV text in v2's full layout, each row one line ending in a newline, after the header if asked. */
    public static String text(List<ResultRow> rows, boolean withHeader) {
        return text(rows, List.of(ResultColumn.values()), withHeader);
    }

    private static String text(List<ResultRow> rows, List<ResultColumn> layout, boolean withHeader) {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CsvTable.FORMAT)) {
            if (withHeader) printer.printRecord(layout.stream().map(ResultColumn::columnName).toList());
            for (ResultRow row : rows) {
                List<String> cells = new ArrayList<>(layout.size());
                for (ResultColumn c : layout) cells.add(c.cell(row));
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * Every row of a results file, read by column name: the columns may come in any order and extra columns (of a
     * later schema) are ignored; the seed's columns are derived again from the recipe. A missing column or a cell
     * that is not of its column's type is a {@code file:line} error.
     */
    public static List<ResultRow> read(Path file) throws IOException, DataFormatException {
        CsvTable table = CsvTable.read(file);
        List<String> required = Arrays.stream(ResultColumn.values()).filter(c -> !c.optionalOnRead()).map(ResultColumn::columnName).toList();
        Map<String, Integer> index = table.columns(required, "a results file of schema v2");
        List<ResultRow> rows = new ArrayList<>(table.records().size());
        for (CsvTable.Row r : table.records()) {
            ResultRow.Builder b = ResultRow.builder().energySource(null);
            for (ResultColumn c : ResultColumn.values()) {
                Integer at = index.get(c.columnName());
                if (at == null) continue; // a measurement column the file predates: left empty
                try {
                    c.read(r.cells().get(at), b);
                } catch (IllegalArgumentException e) {
                    throw DataFormatException.atLine(file, r.line(), e.getMessage());
                }
            }
            rows.add(b.build());
        }
        return rows;
    }
}
