package org.edgeq.report;

import org.edgeq.data.DataFormatException;
import org.edgeq.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsFilesTest {

    @TempDir
    Path dir;

    @Test
    void edgeqResultsAndTheSeedsTablesAreToldApartByTheirHeader() throws Exception {
        ReportSource edgeq = ResultsFiles.read(ReportFixtures.writeToy(dir.resolve("toy.csv")));
        assertEquals(ReportSource.Format.RESULTS_V2, edgeq.format());
        assertEquals(ReportSource.EDGEQ, edgeq.origin());
        assertEquals(12, edgeq.rows().size());
        assertEquals(List.of("0.1.0-test"), edgeq.edgeqVersions());
        assertEquals(List.of("estimate"), edgeq.energySources());
        assertEquals(12, edgeq.rowsWithEnergyModel());

        ReportSource quant = ResultsFiles.read(ReportFixtures.seedFixture("quantization.csv"));
        assertEquals(ReportSource.Format.SEED_QUANTIZATION, quant.format());
        assertEquals(ReportSource.SEED, quant.origin());
        assertEquals(12, quant.rows().size(), "quoted multi-line model_artifact cells read as one row each");
        assertTrue(quant.notes().stream().anyMatch(n -> n.contains("fancy_rounding")), quant.notes().toString());
        assertEquals(List.of(), quant.edgeqVersions());

        ReportSource pruning = ResultsFiles.read(ReportFixtures.seedFixture("pruning.csv"));
        assertEquals(ReportSource.Format.SEED_PRUNING, pruning.format());
        assertEquals(3, pruning.rows().size());
    }

    @Test
    void theSeedStudysOwnTablesAreReadInPlace() throws Exception {
        Path dirOfTables = SharedData.require("seed-results");
        List<Path> files;
        try (var s = Files.list(dirOfTables)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(3, files.size(), files.toString());
        List<ReportSource> sources = ResultsFiles.readAll(files);
        assertEquals(List.of(18, 60, 60), sources.stream().map(x -> x.rows().size()).toList());
        assertEquals(List.of(ReportSource.Format.SEED_PRUNING, ReportSource.Format.SEED_QUANTIZATION,
                ReportSource.Format.SEED_QUANTIZATION), sources.stream().map(ReportSource::format).toList());
    }

    @Test
    void aFileOfNeitherKindIsRefusedAtLine1() throws Exception {
        Path f = Files.writeString(dir.resolve("other.csv"), "a,b,c\n1,2,3\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ResultsFiles.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: neither an EdgeQ results file"), e.getMessage());
    }

    @Test
    void aBadCellIsRefusedWithItsLine() throws Exception {
        Path f = ReportFixtures.writeToy(dir.resolve("toy.csv"));
        List<String> lines = Files.readAllLines(f);
        lines.set(3, lines.get(3).replace("dense-simple,1,", "dense-simple,one,"));
        Files.write(f, lines);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ResultsFiles.read(f));
        assertTrue(e.getMessage().startsWith(f + ":4: column seed"), e.getMessage());
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("empty.csv"), "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ResultsFiles.read(f));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }
}
