package org.edgeq.study;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The results CSV: the header {@link ResultRow#COLUMNS} written once, then one row appended per finished
 * measurement, each append forced to disk before the next measurement starts, so an interrupted study keeps every
 * row it finished. An existing file is appended to only if its header is exactly ours.
 */
public final class ResultsCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private final Path file;

    private ResultsCsv(Path file) {
        this.file = file;
    }

    /**
     * Checks that {@code file} is absent, empty, or a results CSV with our header; nothing is written yet. Throws
     * IllegalArgumentException naming the file when it holds something else.
     */
    public static ResultsCsv open(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a directory, not a CSV file");
        if (Files.exists(file) && Files.size(file) > 0) {
            String first;
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                first = lines.findFirst().orElse("");
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalArgumentException(file + ": not a UTF-8 text file");
            }
            List<String> header;
            try (CSVParser p = CSVParser.parse(new StringReader(first), FORMAT)) {
                List<CSVRecord> records = p.getRecords();
                header = records.isEmpty() ? List.of() : records.getFirst().toList();
            } catch (IOException | IllegalStateException e) {
                throw new IllegalArgumentException(file + ":1: not a CSV header");
            }
            if (!header.equals(ResultRow.COLUMNS)) {
                throw new IllegalArgumentException(file + ":1: header " + header + " is not the results header "
                        + ResultRow.COLUMNS + "; choose another --csv file");
            }
        }
        return new ResultsCsv(file);
    }

    public Path file() {
        return file;
    }

    /** Appends one row (and the header first if the file is new or empty), then forces it to disk. */
    public void append(ResultRow row) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            StringWriter text = new StringWriter();
            try (CSVPrinter printer = new CSVPrinter(text, FORMAT)) {
                if (ch.size() == 0) printer.printRecord(ResultRow.COLUMNS);
                printer.printRecord(row.cells());
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
            ch.force(true);
        }
    }

    /** Every row in the file, as cells by column name (for tests and reports). */
    public static List<CSVRecord> read(Path file) throws IOException {
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                FORMAT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            return p.getRecords();
        }
    }
}
