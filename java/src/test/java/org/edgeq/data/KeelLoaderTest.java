package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeelLoaderTest {
    @TempDir
    Path tmp;

    private Path write(String text) throws Exception {
        Path p = tmp.resolve("set.dat");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void numericKeelFileIsRegressionOnItsDeclaredOutput() throws Exception {
        Path f = write("@relation house\r\n@attribute A real[0,1]\r\n@attribute B integer [0, 5]\r\n@attribute Y real [0,9]\r\n"
                + "@inputs A, B\r\n@outputs Y\r\n@data\r\n0.5,3,7.25\r\n0.25, 1, 2\r\n");
        Dataset d = new KeelLoader().load(f);
        assertEquals("house", d.name());
        assertEquals(Task.REGRESSION, d.task());
        assertEquals(List.of("A", "B"), d.featureNames());
        assertArrayEquals(new float[]{0.5f, 3, 0.25f, 1}, d.features());
        assertArrayEquals(new float[]{7.25f, 2}, d.targets());
    }

    @Test
    void nominalInputsAreOneHotAndNominalOutputMakesClassification() throws Exception {
        Path f = write("@relation r\n@attribute Colour {red, green, blue}\n@attribute X real [0, 1]\n@attribute Class {no, yes}\n"
                + "@data\ngreen, 0.5, yes\nblue, 1, no\n");
        Dataset d = new KeelLoader().load(f);
        assertEquals(Task.CLASSIFICATION, d.task());
        assertEquals(List.of("Colour=red", "Colour=green", "Colour=blue", "X"), d.featureNames());
        assertArrayEquals(new float[]{0, 1, 0, 0.5f, 0, 0, 1, 1}, d.features());
        assertArrayEquals(new int[]{1, 0}, d.labels());
        assertEquals(List.of("no", "yes"), d.classNames());
    }

    @Test
    void outputOrderInTheMiddleOfTheRowIsHonoured() throws Exception {
        Path f = write("@relation r\n@attribute Y real\n@attribute A real\n@inputs A\n@outputs Y\n@data\n5,1\n6,2\n");
        Dataset d = new KeelLoader().load(f);
        assertArrayEquals(new float[]{1, 2}, d.features());
        assertArrayEquals(new float[]{5, 6}, d.targets());
    }

    @Test
    void malformedKeelRowsNameFileAndLine() throws Exception {
        String head = "@relation r\n@attribute A real\n@attribute C {x, y}\n@attribute Y real\n@data\n";
        Path shortRow = write(head + "1,x,2\n1,2\n");
        assertEquals(shortRow + ":7: expected 3 columns, found 2",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(shortRow)).getMessage());
        Path text = write(head + "abc,x,2\n");
        assertEquals(text + ":6: column 'A': not a number 'abc'",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(text)).getMessage());
        Path missing = write(head + "1,x,?\n");
        assertEquals(missing + ":6: column 'Y': missing value '?'",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(missing)).getMessage());
        Path category = write(head + "1,z,2\n");
        assertEquals(category + ":6: column 'C': 'z' is not one of {x, y}",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(category)).getMessage());
    }

    @Test
    void keelHeaderProblemsAreRefused() throws Exception {
        Path empty = write("");
        assertEquals(empty + ":1: empty file", assertThrows(DataFormatException.class, () -> new KeelLoader().load(empty)).getMessage());
        Path noData = write("@relation r\n@attribute A real\n");
        assertEquals(noData + ":2: no @data line", assertThrows(DataFormatException.class, () -> new KeelLoader().load(noData)).getMessage());
        Path badOut = write("@relation r\n@attribute A real\n@outputs Z\n@data\n1\n");
        assertEquals(badOut + ":4: 'Z' is not a declared @attribute",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(badOut)).getMessage());
        Path badType = write("@relation r\n@attribute A string\n@data\n1\n");
        assertEquals(badType + ":2: attribute 'A': expected type real, integer or {values}, found 'string'",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(badType)).getMessage());
        Path noRows = write("@relation r\n@attribute A real\n@attribute Y real\n@data\n");
        assertEquals(noRows + ": no data rows after @data",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(noRows)).getMessage());
    }
}
