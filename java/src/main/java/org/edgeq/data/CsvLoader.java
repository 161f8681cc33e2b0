package org.edgeq.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads a generic CSV file with a header line and a named target column; every other column must be numeric.
 *
 * <p>The task is classification when the target has a non-numeric value or the caller asks for it
 * ({@code task == CLASSIFICATION}); class names are then the distinct target values sorted (numerically when all
 * are numbers, so "2" comes before "10"), and class i is the i-th name. Otherwise the target is a regression value.
 */
public final class CsvLoader {
    private final String targetColumn;
    private final Task task;

    /**
     * @param targetColumn the header name of the target column
     * @param task the task to force, or null to decide from the target's values
     */
    public CsvLoader(String targetColumn, Task task) {
        this.targetColumn = targetColumn;
        this.task = task;
    }

    public Dataset load(Path file) throws IOException, DataFormatException {
        CsvTable table = CsvTable.read(file);
        int target = table.column(targetColumn);
        int n = table.rowCount();
        int f = table.columnCount() - 1;
        List<String> featureNames = new ArrayList<>(table.header());
        featureNames.remove(target);
        float[] x = new float[BoundedInput.featureFloats(file, table.lines()[n - 1], n, f)];
        for (int r = 0; r < n; r++) {
            int k = 0;
            for (int col = 0; col < table.columnCount(); col++) {
                if (col != target) x[r * f + k++] = table.number(r, col);
            }
        }
        String name = datasetName(file);
        boolean allNumeric = true;
        for (int r = 0; r < n && allNumeric; r++) allNumeric = Numbers.isNumber(table.cell(r, target));
        Task resolved = task != null ? task : allNumeric ? Task.REGRESSION : Task.CLASSIFICATION;
        if (resolved == Task.REGRESSION) {
            float[] y = new float[n];
            for (int r = 0; r < n; r++) y[r] = table.number(r, target);
            return new Dataset(name, Task.REGRESSION, n, new int[]{f}, x, null, y, 0, List.copyOf(featureNames), List.of());
        }
        Comparator<String> order = allNumeric
                ? Comparator.<String>comparingDouble(s -> Numbers.parseOrNaN(s)).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        for (int r = 0; r < n; r++) {
            String v = table.cell(r, target);
            if (v.isEmpty()) throw DataFormatException.atLine(file, table.lines()[r], "column " + Quote.of(targetColumn) + ": empty label");
            distinct.add(v);
        }
        List<String> classNames = List.copyOf(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) index.put(classNames.get(i), i);
        int[] y = new int[n];
        for (int r = 0; r < n; r++) y[r] = index.get(table.cell(r, target));
        return new Dataset(name, Task.CLASSIFICATION, n, new int[]{f}, x, y, null, classNames.size(),
                List.copyOf(featureNames), classNames);
    }

    static String datasetName(Path file) {
        String s = file.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
