package org.edgeq.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads CIFAR-10 or CIFAR-100 binary batches ({@code data_batch_1.bin}..., {@code train.bin}): fixed-size records
 * of label byte(s) then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major), which is
 * already the [3, 32, 32] channel-first layout. CIFAR-100 records carry a coarse then a fine label; the loader keeps
 * the one {@link Variant} asks for. Pixels are scaled to [0, 1].
 */
public final class CifarLoader {
    static final int PIXELS = 3 * 32 * 32;

    /** Which labels a batch file holds and which one becomes the class. */
    public enum Variant {
        CIFAR10(1, 0, 10), CIFAR100_FINE(2, 1, 100), CIFAR100_COARSE(2, 0, 20);

        final int labelBytes;
        final int labelOffset;
        final int classes;

        Variant(int labelBytes, int labelOffset, int classes) {
            this.labelBytes = labelBytes;
            this.labelOffset = labelOffset;
            this.classes = classes;
        }

        int recordBytes() {
            return labelBytes + PIXELS;
        }
    }

    /** The CIFAR-10 class names, in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    private final Variant variant;

    public CifarLoader(Variant variant) {
        this.variant = variant;
    }

    /** Loads and concatenates the given batch files in order. */
    public Dataset load(String name, List<Path> batches) throws IOException, DataFormatException {
        if (batches.isEmpty()) throw new IllegalArgumentException("no CIFAR batch files given");
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        int record = variant.recordBytes();
        for (Path file : batches) {
            // All batches together stay within the cap: they become one float array four times their size.
            long left = BoundedInput.BINARY_DATA_CAP - total * record;
            if (left <= 0) {
                throw DataFormatException.inFile(file, "the batches before it already fill the " + BoundedInput.mib(BoundedInput.BINARY_DATA_CAP)
                        + " cap for binary data (docs/data.md, Limits)");
            }
            byte[] b = BinaryFiles.readMaybeGzipped(file, left);
            if (b.length == 0) throw DataFormatException.atByte(file, 0, "empty file, expected " + record + "-byte " + variant + " records");
            if (b.length % record != 0) {
                long start = (long) (b.length / record) * record;
                throw DataFormatException.atByte(file, start, "truncated record: " + (b.length - start) + " of " + record + " bytes");
            }
            int[] limits = variant.labelBytes == 1 ? new int[]{10} : new int[]{20, 100};
            String[] kinds = variant.labelBytes == 1 ? new String[]{"label"} : new String[]{"coarse label", "fine label"};
            for (int start = 0; start < b.length; start += record) {
                for (int j = 0; j < limits.length; j++) {
                    int label = b[start + j] & 0xff;
                    if (label >= limits[j]) {
                        throw DataFormatException.atByte(file, start + j, kinds[j] + " " + label + " outside 0.." + (limits[j] - 1));
                    }
                }
            }
            contents.add(b);
            total += b.length / record;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(total + " CIFAR images do not fit one float array");
        int n = (int) total;
        float[] x = new float[n * PIXELS];
        int[] y = new int[n];
        int i = 0;
        for (byte[] b : contents) {
            for (int off = 0; off < b.length; off += record, i++) {
                y[i] = b[off + variant.labelOffset] & 0xff;
                int base = off + variant.labelBytes;
                for (int p = 0; p < PIXELS; p++) x[i * PIXELS + p] = (b[base + p] & 0xff) * (1f / 255f);
            }
        }
        List<String> names;
        if (variant == Variant.CIFAR10) {
            names = CIFAR10_CLASSES;
        } else {
            List<String> numbered = new ArrayList<>();
            for (int c = 0; c < variant.classes; c++) numbered.add(Integer.toString(c));
            names = List.copyOf(numbered);
        }
        return new Dataset(name, Task.CLASSIFICATION, n, new int[]{3, 32, 32}, x, y, null, variant.classes, List.of(), names);
    }
}
