package org.edgeq.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        byte[] img = BinaryFiles.readMaybeGzipped(images);
        byte[] lab = BinaryFiles.readMaybeGzipped(labels);
        checkHeader(images, img, IMAGES_MAGIC, 16, "image");
        checkHeader(labels, lab, LABELS_MAGIC, 8, "label");
        int count = dimension(images, img, 4, "image count");
        int rows = dimension(images, img, 8, "rows");
        int cols = dimension(images, img, 12, "columns");
        int labelCount = dimension(labels, lab, 4, "label count");
        long pixels = (long) count * rows * cols;
        if (img.length < 16 + pixels) {
            throw DataFormatException.atByte(images, img.length, "truncated: header promises " + count + " images of "
                    + rows + "x" + cols + " (" + (16 + pixels) + " bytes), file has " + img.length);
        }
        if (img.length > 16 + pixels) {
            throw DataFormatException.atByte(images, 16 + pixels, (img.length - 16 - pixels) + " bytes after the last image");
        }
        if (lab.length != 8L + labelCount) {
            throw DataFormatException.atByte(labels, Math.min(lab.length, 8L + labelCount), lab.length < 8L + labelCount
                    ? "truncated: header promises " + labelCount + " labels (" + (8L + labelCount) + " bytes), file has " + lab.length
                    : (lab.length - 8L - labelCount) + " bytes after the last label");
        }
        if (labelCount != count) {
            throw DataFormatException.atByte(labels, 4, labelCount + " labels for " + count + " images in " + images);
        }
        if (pixels > Integer.MAX_VALUE - 8) {
            throw DataFormatException.atByte(images, 4, count + " images of " + rows + "x" + cols + " do not fit one float array");
        }
        int[] y = new int[count];
        int maxLabel = 0;
        for (int i = 0; i < count; i++) {
            y[i] = lab[8 + i] & 0xff;
            if (classNames != null && y[i] >= classNames.size()) {
                throw DataFormatException.atByte(labels, 8 + i, "label " + y[i] + " outside 0.." + (classNames.size() - 1));
            }
            maxLabel = Math.max(maxLabel, y[i]);
        }
        float[] x = new float[(int) pixels];
        for (int i = 0; i < x.length; i++) x[i] = (img[16 + i] & 0xff) * (1f / 255f);
        List<String> names = classNames;
        if (names == null) {
            List<String> numbered = new ArrayList<>();
            for (int c = 0; c <= maxLabel; c++) numbered.add(Integer.toString(c));
            names = List.copyOf(numbered);
        }
        return new Dataset(name, Task.CLASSIFICATION, count, new int[]{1, rows, cols}, x, y, null, names.size(),
                List.of(), names);
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
