package org.edgeq.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a KEEL {@code .dat} file: {@code @relation}, {@code @attribute} lines ({@code real}, {@code integer} or a
 * nominal {@code {a, b}} set), optional {@code @inputs}/{@code @outputs} (default: the last attribute is the
 * output), then {@code @data} rows of comma-separated values. Nominal inputs are one-hot encoded in their declared
 * order (features named {@code attr=value}); a numeric output makes a regression set, a nominal output a
 * classification set whose classes are the declared values in order. Missing values ({@code ?}) are rejected.
 */
public final class KeelLoader {

    /** One declared attribute; {@code values} is null for numeric attributes. */
    private record Attribute(String name, List<String> values, long line) {
        boolean nominal() {
            return values != null;
        }
    }

    public Dataset load(Path file) throws IOException, DataFormatException {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        String relation = CsvLoader.datasetName(file);
        List<String> inputNames = null;
        List<String> outputNames = null;
        FloatList x = null;
        FloatList targets = null;
        IntList labels = null;
        List<Attribute> inputs = null;
        Attribute output = null;
        int featureCount = 0;
        int[] inputColumns = null;
        int outputColumn = -1;
        try (BufferedReader in = new BufferedReader(BoundedInput.utf8Reader(file, BoundedInput.TEXT_DATA_CAP))) {
            String text;
            long line = 0;
            boolean data = false;
            while ((text = in.readLine()) != null) {
                line++;
                String s = text.strip();
                if (s.isEmpty() || s.startsWith("%")) continue;
                if (!data) {
                    String lower = s.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("@relation")) {
                        relation = s.substring("@relation".length()).strip();
                    } else if (lower.startsWith("@attribute")) {
                        Attribute a = parseAttribute(file, line, s.substring("@attribute".length()).strip());
                        if (attributes.putIfAbsent(a.name, a) != null) {
                            throw DataFormatException.atLine(file, line, "attribute " + Quote.of(a.name) + " declared twice");
                        }
                    } else if (lower.startsWith("@inputs") || lower.startsWith("@input")) {
                        inputNames = names(s.substring(lower.startsWith("@inputs") ? 7 : 6));
                    } else if (lower.startsWith("@outputs") || lower.startsWith("@output")) {
                        outputNames = names(s.substring(lower.startsWith("@outputs") ? 8 : 7));
                    } else if (lower.equals("@data")) {
                        data = true;
                        if (attributes.isEmpty()) throw DataFormatException.atLine(file, line, "@data before any @attribute");
                        if (outputNames == null) outputNames = List.of(attributes.keySet().stream().reduce((a, b) -> b).orElseThrow());
                        if (outputNames.size() != 1) {
                            throw DataFormatException.atLine(file, line, "expected exactly one output attribute, found " + outputNames.size());
                        }
                        output = lookup(file, line, attributes, outputNames.get(0));
                        if (inputNames == null) {
                            inputNames = new ArrayList<>(attributes.keySet());
                            inputNames.remove(output.name);
                        }
                        List<String> order = new ArrayList<>(attributes.keySet());
                        outputColumn = order.indexOf(output.name);
                        inputs = new ArrayList<>();
                        inputColumns = new int[inputNames.size()];
                        for (String name : inputNames) {
                            Attribute a = lookup(file, line, attributes, name);
                            inputColumns[inputs.size()] = order.indexOf(name);
                            inputs.add(a);
                            featureCount += a.nominal() ? a.values.size() : 1;
                        }
                        x = new FloatList(BoundedInput.featureFloats(file, line, Math.min(1024, Math.max(1, BoundedInput.FEATURE_FLOATS_CAP / Math.max(1, featureCount))), featureCount));
                        if (output.nominal()) labels = new IntList(1024); else targets = new FloatList(1024);
                    } else {
                        throw DataFormatException.atLine(file, line, "unexpected header line " + Quote.of(s));
                    }
                    continue;
                }
                BoundedInput.featureFloats(file, line, x.size() / Math.max(1, featureCount) + 1L, featureCount);
                String[] cells = s.split(",", -1);
                if (cells.length != attributes.size()) {
                    throw DataFormatException.atLine(file, line, "expected " + attributes.size() + " columns, found " + cells.length);
                }
                for (int k = 0; k < inputs.size(); k++) {
                    Attribute a = inputs.get(k);
                    String v = cells[inputColumns[k]].strip();
                    if (a.nominal()) {
                        int hot = category(file, line, a, v);
                        for (int j = 0; j < a.values.size(); j++) x.add(j == hot ? 1f : 0f);
                    } else {
                        x.add(number(file, line, a, v));
                    }
                }
                String v = cells[outputColumn].strip();
                if (output.nominal()) labels.add(category(file, line, output, v));
                else targets.add(number(file, line, output, v));
            }
            if (!data) throw DataFormatException.atLine(file, Math.max(line, 1), line == 0 ? "empty file" : "no @data line");
        } catch (BoundedInput.NotUtf8Exception e) {
            throw DataFormatException.atLine(file, e.line(), e.reason());
        }
        int n = labels != null ? labels.size() : targets.size();
        if (n == 0) throw DataFormatException.inFile(file, "no data rows after @data");
        List<String> featureNames = new ArrayList<>();
        for (Attribute a : inputs) {
            if (a.nominal()) for (String v : a.values) featureNames.add(a.name + "=" + v);
            else featureNames.add(a.name);
        }
        if (output.nominal()) {
            return new Dataset(relation, Task.CLASSIFICATION, n, new int[]{featureCount}, x.toArray(), labels.toArray(),
                    null, output.values.size(), List.copyOf(featureNames), output.values);
        }
        return new Dataset(relation, Task.REGRESSION, n, new int[]{featureCount}, x.toArray(), null, targets.toArray(),
                0, List.copyOf(featureNames), List.of());
    }

    private static Attribute parseAttribute(Path file, long line, String rest) throws DataFormatException {
        int brace = rest.indexOf('{');
        String name;
        if (brace >= 0) {
            name = rest.substring(0, brace).strip();
            int close = rest.lastIndexOf('}');
            if (close < brace) throw DataFormatException.atLine(file, line, "attribute " + Quote.of(name) + ": missing '}'");
            List<String> values = names(rest.substring(brace + 1, close));
            if (values.isEmpty()) throw DataFormatException.atLine(file, line, "attribute " + Quote.of(name) + ": no nominal values");
            return new Attribute(name, values, line);
        }
        String[] parts = rest.split("\\s+", 2);
        name = parts[0];
        String type = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "";
        if (name.isEmpty() || !(type.startsWith("real") || type.startsWith("integer") || type.startsWith("numeric"))) {
            throw DataFormatException.atLine(file, line, "attribute " + Quote.of(name) + ": expected type real, integer or {values}, found "
                    + Quote.of(parts.length > 1 ? parts[1] : ""));
        }
        return new Attribute(name, null, line);
    }

    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return List.copyOf(out);
    }

    private static Attribute lookup(Path file, long line, Map<String, Attribute> attributes, String name) throws DataFormatException {
        Attribute a = attributes.get(name);
        if (a == null) throw DataFormatException.atLine(file, line, Quote.of(name) + " is not a declared @attribute");
        return a;
    }

    private static float number(Path file, long line, Attribute a, String cell) throws DataFormatException {
        float v = Numbers.parseOrNaN(cell);
        if (Float.isNaN(v)) {
            throw DataFormatException.atLine(file, line, "column " + Quote.of(a.name) + ": " + (cell.equals("?") ? "missing value '?'" : "not a number " + Quote.of(cell)));
        }
        return v;
    }

    private static int category(Path file, long line, Attribute a, String cell) throws DataFormatException {
        int k = a.values.indexOf(cell);
        if (k < 0) {
            throw DataFormatException.atLine(file, line, "column " + Quote.of(a.name) + ": " + Quote.of(cell) + " is not one of {" + Quote.cut(String.join(", ", a.values)) + "}");
        }
        return k;
    }
}
