package org.edgeq.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.edgeq.data.BoundedInput;
import org.edgeq.data.DataFormatException;
import org.edgeq.study.ResultsCsv;
import org.edgeq.study.SeedResultsReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the files a report is made from, telling the two kinds apart by their header: EdgeQ's results in schema v2
 * (a header naming dataset or edgeq_version, read by {@link ResultsCsv#read}) and the seed study's own tables
 * (quant_method/method or pruning_percentage, read by {@link SeedResultsReader}). Anything else is refused with
 * {@code file:1}; a bad cell further down with its own line.
 */
public final class ResultsFiles {
    private ResultsFiles() {
    }

    /** Reads every file in order; the first bad one stops the reading (nothing is written before all are read). */
    public static List<ReportSource> readAll(List<Path> files) throws IOException, DataFormatException {
        List<ReportSource> sources = new ArrayList<>(files.size());
        for (Path f : files) sources.add(read(f));
        return sources;
    }

    /** Reads one results file of either kind. */
    public static ReportSource read(Path file) throws IOException, DataFormatException {
        if (Files.isDirectory(file)) throw DataFormatException.inFile(file, "a directory, not a results file");
        BoundedInput.checkData(file, BoundedInput.TEXT_DATA_CAP);
        List<String> header = header(file);
        String name = file.getFileName().toString();
        if (header.contains("dataset") || header.contains("edgeq_version")) {
            return new ReportSource(name, file, ReportSource.Format.RESULTS_V2, ResultsCsv.read(file), List.of());
        }
        if (header.contains("pruning_percentage") || header.contains("quant_method") || header.contains("method")) {
            SeedResultsReader.Result r = SeedResultsReader.read(file);
            ReportSource.Format format = r.kind() == SeedResultsReader.Kind.PRUNING
                    ? ReportSource.Format.SEED_PRUNING : ReportSource.Format.SEED_QUANTIZATION;
            return new ReportSource(name, file, format, r.rows(), r.notes());
        }
        throw DataFormatException.atLine(file, 1, "neither an EdgeQ results file (schema v2: dataset, model, seed, method, ...) "
                + "nor one of the seed study's tables (model, quant_method, bin_method, precision, ... or model, "
                + "pruning_percentage, ...); the header is " + header);
    }

    private static List<String> header(Path file) throws IOException, DataFormatException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT)) {
            Iterator<CSVRecord> it = p.iterator();
            if (!it.hasNext()) throw DataFormatException.inFile(file, "empty file (no header)");
            return it.next().toList();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) throw DataFormatException.atLine(file, 1, "not UTF-8 text");
            throw DataFormatException.atLine(file, 1, "not CSV: " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw DataFormatException.atLine(file, 1, "not UTF-8 text");
        } catch (IllegalStateException e) {
            throw DataFormatException.atLine(file, 1, "not CSV: " + e.getMessage());
        }
    }
}
