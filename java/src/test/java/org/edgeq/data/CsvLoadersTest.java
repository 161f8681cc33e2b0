package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvLoadersTest {
    static final String CHURN_HEADER = "RowNumber,CustomerId,Surname,CreditScore,Geography,Gender,Age,Tenure,Balance,"
            + "NumOfProducts,HasCrCard,IsActiveMember,EstimatedSalary,Exited\n";

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void churnDropsIdentifiersAndOneHotsCategoriesInSortedOrder() throws Exception {
        Path f = write("churn.csv", CHURN_HEADER
                + "1,15634602,Hargrave,619,France,Female,42,2,0,1,1,1,101348.88,1\n"
                + "2,15647311,Hill,608,Spain,Female,41,1,83807.86,1,0,1,112542.58,0\n"
                + "3,15619304,Onio,502,Germany,Male,42,8,159660.8,3,1,0,113931.57,1\n");
        Dataset d = new ChurnCsvLoader().load(f);
        assertEquals(List.of("CreditScore", "Geography=France", "Geography=Germany", "Geography=Spain",
                "Gender=Female", "Gender=Male", "Age", "Tenure", "Balance", "NumOfProducts", "HasCrCard",
                "IsActiveMember", "EstimatedSalary"), d.featureNames());
        assertEquals(3, d.size());
        assertEquals(Task.CLASSIFICATION, d.task());
        assertEquals(2, d.numClasses());
        assertArrayEquals(new int[]{1, 0, 1}, d.labels());
        assertArrayEquals(new float[]{608, 0, 0, 1, 1, 0, 41, 1, 83807.86f, 1, 0, 1, 112542.58f},
                java.util.Arrays.copyOfRange(d.features(), 13, 26));
        assertArrayEquals(new float[]{502, 0, 1, 0, 0, 1}, java.util.Arrays.copyOfRange(d.features(), 26, 32));
    }

    @Test
    void churnRowWithMissingColumnNamesFileAndLine() throws Exception {
        Path f = write("churn.csv", CHURN_HEADER
                + "1,15634602,Hargrave,619,France,Female,42,2,0,1,1,1,101348.88,1\n"
                + "2,15647311,Hill,608,Spain,Female,41,1,83807.86,1,0,1,112542.58\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new ChurnCsvLoader().load(f));
        assertEquals(f + ":3: expected 14 columns, found 13", e.getMessage());
    }

    @Test
    void churnNonNumericCellNamesColumnAndValue() throws Exception {
        Path f = write("churn.csv", CHURN_HEADER
                + "1,15634602,Hargrave,619,France,Female,42,2,0,1,1,1,101348.88,1\n"
                + "\n"
                + "2,15647311,Hill,608,Spain,Female,forty,1,83807.86,1,0,1,112542.58,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new ChurnCsvLoader().load(f));
        assertEquals(f + ":4: column 'Age': not a number 'forty'", e.getMessage());
    }

    @Test
    void churnWithoutTargetColumnIsRefused() throws Exception {
        Path f = write("churn.csv", "RowNumber,CustomerId,Surname,CreditScore\n1,2,x,3\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new ChurnCsvLoader().load(f));
        assertEquals(f + ":1: no column 'Exited' (columns: RowNumber, CustomerId, Surname, CreditScore)", e.getMessage());
    }

    @Test
    void emptyCsvFileIsRefused() throws Exception {
        Path f = write("empty.csv", "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new CsvLoader("y", null).load(f));
        assertEquals(f + ": empty file, expected a header line", e.getMessage());
        Path h = write("header.csv", "a,b,y\n");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> new CsvLoader("y", null).load(h));
        assertEquals(h + ": no data rows after the header", e2.getMessage());
    }

    @Test
    void genericCsvWithTextTargetIsClassificationWithSortedClassNames() throws Exception {
        Path f = write("iris.csv", "a,species,b\n1.5,virginica,2\n-3e2,setosa,4.25\n0,versicolor,0\n7,setosa,1\n");
        Dataset d = new CsvLoader("species", null).load(f);
        assertEquals(Task.CLASSIFICATION, d.task());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[]{2, 0, 1, 0}, d.labels());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertArrayEquals(new float[]{1.5f, 2, -300, 4.25f, 0, 0, 7, 1}, d.features());
        assertEquals("iris", d.name());
    }

    @Test
    void genericCsvWithNumericTargetIsRegressionUnlessClassificationIsForced() throws Exception {
        Path f = write("r.csv", "x,y\n1,10\n2,2\n3,10\n");
        Dataset r = new CsvLoader("y", null).load(f);
        assertEquals(Task.REGRESSION, r.task());
        assertArrayEquals(new float[]{10, 2, 10}, r.targets());
        assertNull(r.labels());
        Dataset c = new CsvLoader("y", Task.CLASSIFICATION).load(f);
        assertEquals(List.of("2", "10"), c.classNames(), "numeric class names sort by value");
        assertArrayEquals(new int[]{1, 0, 1}, c.labels());
    }

    @Test
    void genericCsvNonNumericFeatureAndWrongColumnCountGiveFileAndLine() throws Exception {
        Path bad = write("bad.csv", "x,z,y\n1,2,a\n3,abc,b\n");
        assertEquals(bad + ":3: column 'z': not a number 'abc'",
                assertThrows(DataFormatException.class, () -> new CsvLoader("y", null).load(bad)).getMessage());
        Path wide = write("wide.csv", "x,z,y\n1,2,a\n3,4,b,5\n");
        assertEquals(wide + ":3: expected 3 columns, found 4",
                assertThrows(DataFormatException.class, () -> new CsvLoader("y", null).load(wide)).getMessage());
        Path nan = write("nan.csv", "x,y\nNaN,1\n");
        assertEquals(nan + ":2: column 'x': not a number 'NaN'",
                assertThrows(DataFormatException.class, () -> new CsvLoader("y", null).load(nan)).getMessage());
    }

    @Test
    void genericCsvRegressionTargetMustBeNumericWhenForced() throws Exception {
        Path f = write("t.csv", "x,y\n1,2\n2,high\n");
        assertEquals(f + ":3: column 'y': not a number 'high'",
                assertThrows(DataFormatException.class, () -> new CsvLoader("y", Task.REGRESSION).load(f)).getMessage());
    }

    @Test
    void telescopeMapsGammaToClassZeroAndHadronToOne() throws Exception {
        Path f = write("telescope.dat", "28.7967,16.0021,2.6449,0.3918,0.1982,27.7004,22.011,-8.2027,40.092,81.8828,g\r\n"
                + "162.052,136.031,4.0612,0.0374,0.0187,116.741,-64.858,-45.216,76.96,256.788,h\r\n");
        Dataset d = new TelescopeLoader().load(f);
        assertEquals(2, d.size());
        assertEquals(10, d.featureCount());
        assertArrayEquals(new int[]{0, 1}, d.labels());
        assertEquals(List.of("g", "h"), d.classNames());
        assertEquals(-45.216f, d.features()[17]);
    }

    @Test
    void telescopeMalformedLinesNameFileAndLine() throws Exception {
        Path shortRow = write("a.dat", "1,2,3,4,5,6,7,8,9,10,g\n1,2,3,4,5,6,7,8,9,g\n");
        assertEquals(shortRow + ":2: expected 11 columns, found 10",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(shortRow)).getMessage());
        Path text = write("b.dat", "1,2,3,4,5,6,7,8,9,10,g\n1,2,3,4,5,x7,7,8,9,10,g\n");
        assertEquals(text + ":2: column 'fAsym': not a number 'x7'",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(text)).getMessage());
        Path label = write("c.dat", "1,2,3,4,5,6,7,8,9,10,q\n");
        assertEquals(label + ":1: class: expected g or h, found 'q'",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(label)).getMessage());
        Path empty = write("d.dat", "");
        assertEquals(empty + ": empty file, no samples",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(empty)).getMessage());
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() throws Exception {
        Path f = write("bom.csv", "\uFEFFx,y\n1,a\n2,b\n");
        Dataset d = new CsvLoader("y", null).load(f);
        assertEquals(List.of("x"), d.featureNames());
    }
}
