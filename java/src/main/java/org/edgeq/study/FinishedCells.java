package org.edgeq.study;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cells a study's results file already holds, after repairing the tail a killed run may have left: a cell's
 * rows are appended in one write, so a kill -9 can only cut off the last write. An incomplete last line is dropped,
 * and so are the rows of a last cell that has fewer rows than its plan says; the file is truncated to the complete
 * cells before it and nothing before them changes; what is cut goes to {@code results.csv.torn} ({@link TornTail}).
 * Each row is one line (results cells hold no line breaks). A
 * file whose header is not the results header is left as it is.
 */
public final class FinishedCells {
    private FinishedCells() {
    }

    /**
     * Repairs {@code csv}'s tail (see above) and returns the rows of each finished cell as the file holds them, by
     * cell id in file order, each row its line with the newline. Rows without a cell id are kept but not listed;
     * an absent file has none.
     */
    public static Map<String, String> repairAndRead(Path csv, StudyPlan plan) throws IOException {
        Map<String, String> cells = new LinkedHashMap<>();
        if (!Files.exists(csv)) return cells;
        byte[] bytes = Files.readAllBytes(csv);
        int end = TornTail.cleanEnd(bytes); // bytes after the last newline: a line cut off by a kill
        List<int[]> lines = new ArrayList<>(); // [start, end) of each line, newline included
        for (int start = 0, i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                lines.add(new int[]{start, i + 1});
                start = i + 1;
            }
        }
        if (lines.isEmpty()) {
            // A header cut off while it was written; anything else is not ours to change (open refuses it).
            if (ResultsCsv.text(List.of(), true).startsWith(new String(bytes, StandardCharsets.UTF_8))) TornTail.setAside(csv, bytes, 0);
            return cells;
        }
        List<String> header = parse(text(bytes, lines.getFirst()));
        if (!header.equals(ResultRow.COLUMNS)) return cells; // not a study's results file: left alone for open to refuse
        int at = header.indexOf(ResultColumn.CELL_ID.columnName());
        List<String> ids = new ArrayList<>();
        for (int[] l : lines.subList(1, lines.size())) {
            List<String> row = parse(text(bytes, l));
            ids.add(at < 0 || at >= row.size() ? "" : row.get(at));
        }
        // The last cell written: complete only with as many rows as its variant makes.
        if (!ids.isEmpty() && !ids.getLast().isEmpty()) {
            String last = ids.getLast();
            int first = ids.size();
            while (first > 0 && ids.get(first - 1).equals(last)) first--;
            int expected = plan.byId(last).map(StudyCell::rows).orElse(ids.size() - first);
            if (ids.size() - first < expected) {
                end = lines.get(first + 1)[0];
                ids = ids.subList(0, first);
            }
        }
        TornTail.setAside(csv, bytes, end);
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).isEmpty()) continue;
            cells.merge(ids.get(i), text(bytes, lines.get(i + 1)), String::concat);
        }
        return cells;
    }

    private static String text(byte[] bytes, int[] line) {
        return new String(bytes, line[0], line[1] - line[0], StandardCharsets.UTF_8);
    }

    private static List<String> parse(String line) throws IOException {
        try (CSVParser p = CSVParser.parse(new StringReader(line), CsvTable.FORMAT)) {
            List<CSVRecord> r = p.getRecords();
            return r.isEmpty() ? List.of() : r.getFirst().toList();
        }
    }
}
