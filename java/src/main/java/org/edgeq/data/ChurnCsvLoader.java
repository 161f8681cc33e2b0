package org.edgeq.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads the Kaggle bank-churn CSV the way the seed prepared it: RowNumber, CustomerId and Surname dropped,
 * Geography and Gender one-hot encoded (categories in sorted order, features named like {@code Geography=France}),
 * the other columns numeric, and the target Exited as a two-class label (class 0 "stayed", 1 "exited").
 */
public final class ChurnCsvLoader {
    static final List<String> DROPPED = List.of("RowNumber", "CustomerId", "Surname");
    static final List<String> CATEGORICAL = List.of("Geography", "Gender");
    static final String TARGET = "Exited";

    public Dataset load(Path file) throws IOException, DataFormatException {
        CsvTable table = CsvTable.read(file);
        int target = table.column(TARGET);
        for (String c : DROPPED) table.column(c);
        List<String> featureNames = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int col = 0; col < table.columnCount(); col++) {
            String name = table.header().get(col);
            if (col == target || DROPPED.contains(name)) continue;
            List<String> categories = CATEGORICAL.contains(name) ? categories(table, col) : null;
            columns.add(new Column(col, featureNames.size(), categories));
            if (categories == null) featureNames.add(name);
            else for (String c : categories) featureNames.add(name + "=" + c);
        }
        for (String c : CATEGORICAL) table.column(c);
        int f = featureNames.size();
        int n = table.rowCount();
        float[] x = new float[BoundedInput.featureFloats(file, table.lines()[n - 1], n, f)];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            for (Column c : columns) {
                if (c.categories == null) x[r * f + c.slot] = table.number(r, c.index);
                else x[r * f + c.slot + c.categories.indexOf(table.cell(r, c.index))] = 1f;
            }
            String label = table.cell(r, target);
            if (label.equals("0")) y[r] = 0;
            else if (label.equals("1")) y[r] = 1;
            else throw DataFormatException.atLine(file, table.lines()[r], "column '" + TARGET + "': expected 0 or 1, found " + Quote.of(label));
        }
        return new Dataset("churn", Task.CLASSIFICATION, n, new int[]{f}, x, y, null, 2,
                List.copyOf(featureNames), List.of("stayed", "exited"));
    }

    /** A kept column: its index in the file, its first feature slot, and its sorted categories if one-hot. */
    private record Column(int index, int slot, List<String> categories) {
    }

    private static List<String> categories(CsvTable table, int col) throws DataFormatException {
        Set<String> cats = new TreeSet<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.cell(r, col);
            if (v.isEmpty()) {
                throw DataFormatException.atLine(table.file(), table.lines()[r], "column " + Quote.of(table.header().get(col)) + ": empty category");
            }
            cats.add(v);
        }
        return List.copyOf(cats);
    }
}
