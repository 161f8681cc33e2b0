package org.edgeq.study;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.edgeq.data.DataFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A results file read whole as a header and records, each record with the line it starts on, so that every error
 * can say {@code file:line}; cells that span lines (quoted, as in the seed's model_artifact column) count their
 * lines. Every record must have as many cells as the header.
 *
 * @param file    the file read
 * @param header  the first record's cells
 * @param records the records after the header, in file order
 */
record CsvTable(Path file, List<String> header, List<Row> records) {

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private static final Pattern START_LINE = Pattern.compile("startline (\\d+)");

    /** One record and the (1-based) line of the file it starts on. */
    record Row(long line, List<String> cells) {
    }

    /** Reads {@code file}; malformed CSV (an unclosed quote, a ragged record, not UTF-8) is a file:line error. */
    static CsvTable read(Path file) throws IOException, DataFormatException {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        long line = 1;
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8, FORMAT)) {
            var it = p.iterator();
            while (true) {
                line = p.getCurrentLineNumber() + 1; // the parser has consumed the lines of every earlier record
                if (!it.hasNext()) break;
                CSVRecord r = it.next();
                if (header == null) {
                    header = r.toList();
                    continue;
                }
                if (r.size() == 1 && r.get(0).isEmpty()) continue; // a blank line
                if (r.size() != header.size()) {
                    throw DataFormatException.atLine(file, line, r.size() + " cells, but the header has " + header.size());
                }
                rows.add(new Row(line, r.toList()));
            }
        } catch (UncheckedIOException e) {
            throw malformed(file, line, e.getCause());
        } catch (CharacterCodingException e) {
            throw DataFormatException.atLine(file, line, "not UTF-8 text");
        } catch (IllegalStateException e) {
            throw DataFormatException.atLine(file, line, "not CSV: " + e.getMessage());
        }
        if (header == null) throw DataFormatException.inFile(file, "empty file (no header)");
        return new CsvTable(file, header, rows);
    }

    private static DataFormatException malformed(Path file, long line, IOException cause) {
        if (cause instanceof CharacterCodingException) return DataFormatException.atLine(file, line, "not UTF-8 text");
        String message = cause == null || cause.getMessage() == null ? "not CSV" : cause.getMessage();
        Matcher m = START_LINE.matcher(message);
        long at = m.find() ? Long.parseLong(m.group(1)) : line;
        String reason = message.contains("EOF reached before encapsulated token finished")
                ? "a quoted cell opened here is never closed" : "not CSV: " + message;
        return DataFormatException.atLine(file, at, reason);
    }

    /** The index of each header name; refuses a header that lacks one of {@code required}, naming them all. */
    Map<String, Integer> columns(List<String> required, String what) throws DataFormatException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) index.putIfAbsent(header.get(i), i);
        List<String> missing = required.stream().filter(c -> !index.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw DataFormatException.atLine(file, 1, "not " + what + ": the header lacks " + String.join(", ", missing));
        }
        return index;
    }
}
