package org.edgeq.study;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCsvTest {

    @TempDir
    Path dir;

    private static ResultRow row(String method, int bits, double acc) {
        return new ResultRow("dense-simple", method, "uniform, \"quoted\"", Integer.toString(bits), 0.5, 0.75, 0.25, acc,
                0.0, 1234, 0.125, Double.NaN, "none");
    }

    @Test
    void headerIsWrittenOnceAndEveryAppendAddsOneRow() throws Exception {
        Path file = dir.resolve("sub/results.csv");
        ResultsCsv csv = ResultsCsv.open(file);
        csv.append(row("rounding", 8, 0.85));
        csv.append(row("rounding", 4, 0.80));
        ResultsCsv.open(file).append(row("mid-rise", 2, 0.5)); // a later run appends to the same file
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(String.join(",", ResultRow.COLUMNS), lines.getFirst());
        List<CSVRecord> rows = ResultsCsv.read(file);
        assertEquals(3, rows.size());
        assertEquals("0.85", rows.get(0).get("test_acc"));
        assertEquals("4", rows.get(1).get("precision"));
        assertEquals("uniform, \"quoted\"", rows.get(2).get("bin_method"), "commas and quotes survive");
        assertEquals("", rows.get(2).get("energy_j"), "an energy nobody measured is an empty cell");
        assertEquals("none", rows.get(2).get("energy_source"));
        assertEquals("1234", rows.get(2).get("size_bytes"));
    }

    @Test
    void fileWithAnotherHeaderIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(file));
        assertTrue(e.getMessage().startsWith(file + ":1: header"), e.getMessage());
        assertEquals("a,b\n1,2\n", Files.readString(file));
    }

    @Test
    void emptyFileGetsTheHeader() throws Exception {
        Path file = dir.resolve("empty.csv");
        Files.createFile(file);
        ResultsCsv.open(file).append(row("affine", 8, 0.86));
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void numbersAreWrittenCompactlyAndNaNIsEmpty() {
        ResultRow r = new ResultRow("m", "none", "", "32", 1.0 / 3, Double.NaN, 100.0, 0.8573, 0.9, 7, 1e-5, Double.NaN, "none");
        List<String> c = r.cells();
        assertEquals("0.333333", c.get(4));
        assertEquals("", c.get(5));
        assertEquals("100", c.get(6));
        assertEquals("0.8573", c.get(7));
        assertEquals("1e-05", c.get(10));
    }
}
