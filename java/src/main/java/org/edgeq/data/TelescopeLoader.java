package org.edgeq.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the UCI MAGIC gamma telescope data ({@code magic04.data}, shipped as {@code telescope.dat}): ten numeric
 * features and a class letter per comma-separated line, no header (a header line, if present, is skipped when its
 * first cell is not a number). Class 0 is "g" (gamma, the signal) and class 1 is "h" (hadron, the background):
 * the sorted order a label encoder gives, as the seed's preprocessing did.
 */
public final class TelescopeLoader {
    static final List<String> FEATURES = List.of("fLength", "fWidth", "fSize", "fConc", "fConc1", "fAsym",
            "fM3Long", "fM3Trans", "fAlpha", "fDist");
    static final List<String> CLASSES = List.of("g", "h");

    public Dataset load(Path file) throws IOException, DataFormatException {
        int f = FEATURES.size();
        FloatList x = new FloatList(f * 20_000);
        IntList y = new IntList(20_000);
        try (BufferedReader in = new BufferedReader(BoundedInput.utf8Reader(file, BoundedInput.TEXT_DATA_CAP))) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                String[] cells = text.split(",", -1);
                if (line == 1 && !Numbers.isNumber(cells[0])) continue;
                if (cells.length != f + 1) {
                    throw DataFormatException.atLine(file, line, "expected " + (f + 1) + " columns, found " + cells.length);
                }
                for (int j = 0; j < f; j++) {
                    float v = Numbers.parseOrNaN(cells[j]);
                    if (Float.isNaN(v)) {
                        throw DataFormatException.atLine(file, line, "column '" + FEATURES.get(j) + "': not a number " + Quote.of(cells[j].strip()));
                    }
                    x.add(v);
                }
                int label = CLASSES.indexOf(cells[f].strip());
                if (label < 0) throw DataFormatException.atLine(file, line, "class: expected g or h, found " + Quote.of(cells[f].strip()));
                y.add(label);
            }
        } catch (BoundedInput.NotUtf8Exception e) {
            throw DataFormatException.atLine(file, e.line(), e.reason());
        }
        if (y.size() == 0) throw DataFormatException.inFile(file, "empty file, no samples");
        return new Dataset("telescope", Task.CLASSIFICATION, y.size(), new int[]{f}, x.toArray(), y.toArray(), null, 2,
                FEATURES, CLASSES);
    }
}
