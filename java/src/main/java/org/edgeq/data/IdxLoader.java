package org.edgeq.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads an image set stored as a pair of IDX files (MNIST, Fashion-MNIST): an unsigned-byte image file
 * (magic 0x00000803, dimensions count, rows, cols) and an unsigned-byte label file (magic 0x00000801, count),
 * either of them gzipped or not (detected by the 1f 8b magic). Pixels are scaled to [0, 1]; the feature shape is
 * [1, rows, cols]. Errors give the byte offset in the (decompressed) file.
 */
public final class IdxLoader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** The ten Fashion-MNIST class names, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * @param classNames names of the classes in label order, or null to name them by their number; labels must be
     *                   below its size when given
     */
    public Dataset load(String name, Path images, Path labels, List<String> classNames) throws IOException, DataFormatException {
        return loadAll(name, List.of(images), List.of(labels), classNames).dataset();
    }

    /** Image/label file pairs loaded as one set, and how many of its rows (in order) came from each pair. */
    public record Loaded(Dataset dataset, List<Integer> rowsPerFile) {
    }

    /**
     * Several image/label file pairs (a training and a test file) as one set, rows in file order, converted straight
     * into one feature array: the raw bytes of every file plus the floats, never the floats twice.
     *
     * @param classNames as for {@link #load}
     */
    public Loaded loadAll(String name, List<Path> images, List<Path> labels, List<String> classNames) throws IOException, DataFormatException {
        if (images.size() != labels.size() || images.isEmpty()) {
            throw new IllegalArgumentException(images.size() + " image files for " + labels.size() + " label files");
        }
        List<byte[]> imageBytes = new ArrayList<>();
        List<byte[]> labelBytes = new ArrayList<>();
        List<Integer> rowsPerFile = new ArrayList<>();
        int rows = 0, cols = 0;
        long total = 0;
        for (int f = 0; f < images.size(); f++) {
            byte[] img = readIdx(images.get(f), IMAGES_MAGIC, 16, "image");
            byte[] lab = readIdx(labels.get(f), LABELS_MAGIC, 8, "label");
            int count = dimension(images.get(f), img, 4, "image count");
            int r = dimension(images.get(f), img, 8, "rows");
            int c = dimension(images.get(f), img, 12, "columns");
            int labelCount = dimension(labels.get(f), lab, 4, "label count");
            if (labelCount != count) {
                throw DataFormatException.atByte(labels.get(f), 4, labelCount + " labels for " + count + " images in " + images.get(f));
            }
            if (f == 0) {
                rows = r;
                cols = c;
            } else if (r != rows || c != cols) {
                throw DataFormatException.inFile(images.get(f), "images are " + r + "x" + c + " but those of " + images.get(0)
                        + " are " + rows + "x" + cols);
            }
            total += count;
            if (total * rows * cols > Integer.MAX_VALUE - 8) {
                throw DataFormatException.inFile(images.get(f), total + " images of " + rows + "x" + cols + " do not fit one array");
            }
            imageBytes.add(img);
            labelBytes.add(lab);
            rowsPerFile.add(count);
        }
        int count = (int) total;
        int pixelsPerImage = rows * cols;
        int[] y = new int[count];
        float[] x = new float[count * pixelsPerImage];
        int maxLabel = 0, at = 0;
        for (int f = 0; f < images.size(); f++) {
            byte[] lab = labelBytes.get(f);
            byte[] img = imageBytes.get(f);
            int n = lab.length - 8;
            for (int i = 0; i < n; i++) {
                int label = lab[8 + i] & 0xff;
                if (classNames != null && label >= classNames.size()) {
                    throw DataFormatException.atByte(labels.get(f), 8 + i, "label " + label + " outside 0.." + (classNames.size() - 1));
                }
                y[at + i] = label;
                maxLabel = Math.max(maxLabel, label);
            }
            int base = at * pixelsPerImage;
            for (int i = 0; i < n * pixelsPerImage; i++) x[base + i] = (img[16 + i] & 0xff) * (1f / 255f);
            // The file's bytes are no longer needed: drop them before converting the next file.
            imageBytes.set(f, null);
            at += n;
        }
        List<String> names = classNames;
        if (names == null) {
            List<String> numbered = new ArrayList<>();
            for (int c = 0; c <= maxLabel; c++) numbered.add(Integer.toString(c));
            names = List.copyOf(numbered);
        }
        return new Loaded(new Dataset(name, Task.CLASSIFICATION, count, new int[]{1, rows, cols}, x, y, null, names.size(),
                List.of(), names), List.copyOf(rowsPerFile));
    }

    /**
     * Reads an IDX file within what its header promises: the header first, then exactly the bytes its dimensions
     * promise (never more than {@link BoundedInput#BINARY_DATA_CAP}); a file (or gzip stream) that ends early is
     * truncated, one with bytes after them is refused, and a gzip stream is not inflated past them.
     */
    private static byte[] readIdx(Path file, int magic, int headerBytes, String kind) throws IOException, DataFormatException {
        long cap = BoundedInput.BINARY_DATA_CAP;
        try (BinaryFiles.Source in = BinaryFiles.Source.open(file, cap)) {
            byte[] header = in.read(headerBytes);
            checkHeader(file, header, magic, headerBytes, kind);
            long promised = headerBytes;
            for (int off = 4; off < headerBytes; off += 4) {
                int d = dimension(file, header, off, off == 4 ? kind + " count" : off == 8 ? "rows" : "columns");
                promised = off == 4 ? d : promised * d;
                if (promised > cap) break;
            }
            String dims = headerBytes == 16
                    ? BinaryFiles.bigEndianInt(header, 4) + " images of " + BinaryFiles.bigEndianInt(header, 8) + "x" + BinaryFiles.bigEndianInt(header, 12)
                    : BinaryFiles.bigEndianInt(header, 4) + " labels";
            if (promised > cap - headerBytes) {
                throw DataFormatException.atByte(file, 4, "header promises " + dims + ", over the " + BoundedInput.mib(cap)
                        + " cap for binary data (docs/data.md, Limits)");
            }
            long total = headerBytes + promised;
            // Nothing sized by the header is allocated up front: a plain file is measured first, and a gzip
            // stream's bytes are collected as they inflate, so a small file promising 500 MB costs nothing.
            long have = in.gzipped() ? -1 : Files.size(file);
            if (have >= total) {
                // A plain file long enough: its bytes go straight into one array of the promised size.
                byte[] whole = Arrays.copyOf(header, (int) total);
                have = headerBytes + in.readInto(whole, headerBytes, (int) promised);
                if (have == total) header = whole;
            } else if (have < 0) {
                byte[] body = in.readUpTo(promised);
                have = headerBytes + body.length;
                if (have == total) {
                    header = Arrays.copyOf(header, (int) total);
                    System.arraycopy(body, 0, header, headerBytes, body.length);
                }
            }
            if (have < total) {
                throw DataFormatException.atByte(file, have, "truncated: header promises " + dims + " (" + total
                        + " bytes), file has " + have);
            }
            if (in.read(1).length > 0) {
                if (in.gzipped()) {
                    throw DataFormatException.atByte(file, total, "gzip stream inflates past the " + total
                            + " bytes the IDX header promises");
                }
                throw DataFormatException.atByte(file, total, (Files.size(file) - total) + " bytes after the last "
                        + (headerBytes == 16 ? "image" : "label"));
            }
            return header;
        }
    }

    private static void checkHeader(Path file, byte[] b, int magic, int headerBytes, String kind) throws DataFormatException {
        if (b.length == 0) throw DataFormatException.atByte(file, 0, "empty file, expected an IDX " + kind + " file");
        if (b.length < 4) throw DataFormatException.atByte(file, b.length, "truncated: file ends inside the magic number");
        int found = BinaryFiles.bigEndianInt(b, 0);
        if (found != magic) {
            throw DataFormatException.atByte(file, 0, String.format("magic number 0x%08X is not an IDX %s file (expected 0x%08X)", found, kind, magic));
        }
        if (b.length < headerBytes) {
            throw DataFormatException.atByte(file, b.length, "truncated: file ends inside the " + headerBytes + "-byte header");
        }
    }

    private static int dimension(Path file, byte[] b, int offset, String what) throws DataFormatException {
        int d = BinaryFiles.bigEndianInt(b, offset);
        if (d <= 0) throw DataFormatException.atByte(file, offset, what + " " + Integer.toUnsignedString(d) + " must be positive");
        return d;
    }
}
