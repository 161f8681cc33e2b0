package org.edgeq.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file read whole as text cells under a header, with the line number of every row, so that the loaders
 * built on it can report {@code file:line: reason}. Every row is checked to have the header's column count.
 *
 * <p>Line numbers are exact for files without quoted line breaks (the datasets EdgeQ reads); blank lines are
 * skipped but still counted.
 */
record CsvTable(Path file, List<String> header, List<String[]> rows, long[] lines) {

    static CsvTable read(Path file) throws IOException, DataFormatException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).setTrim(true).build();
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (Reader in = BoundedInput.utf8Reader(file, BoundedInput.TEXT_DATA_CAP);
             CSVParser parser = CSVParser.parse(in, format)) {
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber();
                if (rec.size() == 1 && rec.get(0).isEmpty()) continue;
                if (header == null) {
                    header = new ArrayList<>(rec.toList());
                    // A UTF-8 byte-order mark (spreadsheet exports) would otherwise become part of the first name.
                    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) header.set(0, header.get(0).substring(1).strip());
                    checkHeader(file, line, header);
                    continue;
                }
                if (rec.size() != header.size()) {
                    throw DataFormatException.atLine(file, line,
                            "expected " + header.size() + " columns, found " + rec.size());
                }
                rows.add(rec.values());
                lines.add(line);
            }
        } catch (BoundedInput.NotUtf8Exception e) {
            throw DataFormatException.atLine(file, e.line(), e.reason());
        } catch (UncheckedIOException e) {
            // Commons CSV wraps parse errors (e.g. an unterminated quote) and reading errors in UncheckedIOException.
            if (e.getCause() instanceof BoundedInput.NotUtf8Exception bad) throw DataFormatException.atLine(file, bad.line(), bad.reason());
            throw DataFormatException.inFile(file, "not valid CSV: " + Quote.cut(String.valueOf(e.getCause().getMessage())));
        }
        if (header == null) throw DataFormatException.inFile(file, "empty file, expected a header line");
        if (rows.isEmpty()) throw DataFormatException.inFile(file, "no data rows after the header");
        long[] lineArray = new long[lines.size()];
        for (int i = 0; i < lineArray.length; i++) lineArray[i] = lines.get(i);
        return new CsvTable(file, List.copyOf(header), rows, lineArray);
    }

    private static void checkHeader(Path file, long line, List<String> header) throws DataFormatException {
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isEmpty()) throw DataFormatException.atLine(file, line, "empty column name in header");
            if (!seen.add(h)) throw DataFormatException.atLine(file, line, "duplicate column " + Quote.of(h) + " in header");
        }
    }

    int columnCount() {
        return header.size();
    }

    int rowCount() {
        return rows.size();
    }

    /** Index of a named column, or an error naming the columns that exist. */
    int column(String name) throws DataFormatException {
        int i = header.indexOf(name);
        if (i < 0) throw DataFormatException.atLine(file, 1, "no column " + Quote.of(name) + " (columns: " + Quote.cut(String.join(", ", header)) + ")");
        return i;
    }

    /** The numeric value of a cell, or an error {@code file:line: column 'x': not a number 'abc'}. */
    float number(int row, int col) throws DataFormatException {
        String cell = rows.get(row)[col];
        float v = Numbers.parseOrNaN(cell);
        if (Float.isNaN(v)) {
            throw DataFormatException.atLine(file, lines[row], "column " + Quote.of(header.get(col)) + ": not a number " + Quote.of(cell));
        }
        return v;
    }

    String cell(int row, int col) {
        return rows.get(row)[col];
    }
}
