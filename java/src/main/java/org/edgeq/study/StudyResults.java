package org.edgeq.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.edgeq.checkpoint.AtomicFiles;
import org.edgeq.data.BoundedInput;
import org.edgeq.data.DataFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's files under its output folder: DIR/results.csv (schema v2, each finished cell's rows appended in one
 * forced write), DIR/results.json (rewritten atomically from the CSV at the end), DIR/cells/&lt;cell_id&gt;.csv
 * (one file per cell run alone by run-cell, written atomically) that merge gathers into results.csv, and DIR/models/
 * (the base models, {@link CellExecution#inFolder}).
 */
public final class StudyResults {
    public static final String CSV = "results.csv";
    public static final String JSON = "results.json";
    public static final String CELLS = "cells";
    /** The trained base models ({@link BaseModels}), shared by every cell and every process of the study. */
    public static final String MODELS = "models";

    private final Path dir;
    private ResultsCsv csv;

    public StudyResults(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path csvFile() {
        return dir.resolve(CSV);
    }

    public Path jsonFile() {
        return dir.resolve(JSON);
    }

    /** The file run-cell writes cell {@code id}'s rows to. */
    public Path cellFile(String id) {
        return dir.resolve(CELLS).resolve(id + ".csv");
    }

    /**
     * Repairs results.csv after a kill ({@link FinishedCells}), opens it for appending (a file that is not a v2
     * results file is refused, untouched) and returns the ids of the cells it holds, with their rows' text.
     */
    public Map<String, String> openForAppend(StudyPlan plan) throws IOException {
        Map<String, String> done = FinishedCells.repairAndRead(csvFile(), plan);
        try {
            csv = ResultsCsv.open(csvFile());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (!csv.takesCellIds()) {
            throw new BadInputException(csvFile() + ":1: a results file from before the cell_id column, which a study needs; "
                    + "choose another --out, or move this file aside");
        }
        return done;
    }

    /** Appends one finished cell's rows in one write, forced to disk; cells finishing together take turns. */
    public synchronized void append(List<ResultRow> rows) throws IOException {
        if (csv == null) throw new IllegalStateException("open the results file first");
        csv.append(rows);
    }

    /** Writes a cell's rows to DIR/cells/&lt;id&gt;.csv atomically (header included). */
    public void writeCell(String id, List<ResultRow> rows) throws IOException {
        AtomicFiles.write(cellFile(id), ResultsCsv.text(rows, true).getBytes(StandardCharsets.UTF_8));
    }

    /** What a merge did: the cells it appended and the cells of the plan with no results anywhere yet. */
    public record Merged(int appended, int alreadyThere, List<StudyCell> missing) {
    }

    /**
     * Appends to results.csv, in plan order, the rows of every cell file of the plan whose cell is not there yet,
     * byte for byte as the cell file holds them; each cell id ends up once. A cell file whose header is not the
     * results header is a file:line error.
     */
    public Merged merge(StudyPlan plan) throws IOException {
        Map<String, String> done = openForAppend(plan);
        int appended = 0;
        List<StudyCell> missing = new ArrayList<>();
        String header = ResultsCsv.text(List.of(), true);
        for (StudyCell c : plan.cells()) {
            if (done.containsKey(c.id())) continue;
            Path f = cellFile(c.id());
            if (!Files.exists(f)) {
                missing.add(c);
                continue;
            }
            String text;
            try {
                text = BoundedInput.utf8(BoundedInput.readAllBytes(f, BoundedInput.TEXT_DATA_CAP,
                        reason -> new BadInputException(f + ": " + reason)));
            } catch (BoundedInput.NotUtf8Exception e) {
                throw new BadInputException(f + ":" + e.line() + ": " + e.reason());
            }
            if (!text.startsWith(header)) {
                throw new BadInputException(f + ":1: not a cell results file (its header is not the results header); run the cell again");
            }
            csv.appendText(text.substring(header.length()));
            appended++;
        }
        return new Merged(appended, done.size(), missing);
    }

    /** Every row of results.csv; none when it is absent. */
    public List<ResultRow> rows() throws IOException {
        if (!Files.exists(csvFile())) return List.of();
        try {
            return ResultsCsv.read(csvFile());
        } catch (DataFormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** Rewrites results.json atomically from {@code rows}: an array of objects by column name, non-finite numbers as null. */
    public void writeJson(List<ResultRow> rows) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (ResultRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            r.asMap().forEach((k, v) -> m.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
            out.add(m);
        }
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out);
        AtomicFiles.write(jsonFile(), json);
    }
}
