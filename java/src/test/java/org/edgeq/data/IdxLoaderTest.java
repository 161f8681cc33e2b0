package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdxLoaderTest {
    @TempDir
    Path tmp;

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) b.put((byte) (i * 37));
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(0x801).putInt(values.length);
        for (int v : values) b.put((byte) v);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void plainAndGzippedFilesLoadTheSameScaledPixels() throws Exception {
        byte[] img = images(3, 2, 4);
        Dataset plain = new IdxLoader().load("t", write("i", img), write("l", labels(2, 0, 9)), null);
        Dataset zipped = new IdxLoader().load("t", write("i.gz", gzip(img)), write("l.gz", gzip(labels(2, 0, 9))), null);
        assertArrayEquals(new int[]{1, 2, 4}, plain.featureShape());
        assertEquals(3, plain.size());
        assertArrayEquals(new int[]{2, 0, 9}, plain.labels());
        assertEquals(10, plain.numClasses(), "classes are numbered up to the largest label");
        for (int i = 0; i < 24; i++) assertEquals((img[16 + i] & 0xff) / 255f, plain.features()[i], 1e-7f);
        assertArrayEquals(plain.features(), zipped.features());
        assertArrayEquals(plain.labels(), zipped.labels());
    }

    @Test
    void wrongMagicNumberIsRefusedAtOffsetZero() throws Exception {
        Path img = write("i", images(2, 2, 2));
        Path lab = write("l", labels(1, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", lab, img, null));
        assertEquals(lab + ": byte offset 0: magic number 0x00000801 is not an IDX image file (expected 0x00000803)", e.getMessage());
    }

    @Test
    void truncatedImageFileIsRefusedWhereItEnds() throws Exception {
        byte[] full = images(3, 2, 2);
        Path img = write("i", Arrays.copyOf(full, full.length - 1));
        Path lab = write("l", labels(0, 1, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null));
        assertEquals(img + ": byte offset 27: truncated: header promises 3 images of 2x2 (28 bytes), file has 27", e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws Exception {
        byte[] gz = gzip(images(50, 28, 28));
        Path img = write("i.gz", Arrays.copyOf(gz, gz.length / 2));
        Path lab = write("l", labels(new int[50]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null));
        assertEquals(true, e.getMessage().startsWith(img + ": byte offset "), e.getMessage());
        assertEquals(true, e.getMessage().endsWith(": gzip stream ends early (truncated file)"), e.getMessage());
    }

    @Test
    void labelCountMustMatchImageCount() throws Exception {
        Path img = write("i", images(3, 2, 2));
        Path lab = write("l", labels(0, 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null));
        assertEquals(lab + ": byte offset 4: 2 labels for 3 images in " + img, e.getMessage());
    }

    @Test
    void truncatedLabelFileAndEmptyFileAreRefused() throws Exception {
        Path img = write("i", images(3, 2, 2));
        byte[] l = labels(0, 1, 2);
        Path lab = write("l", Arrays.copyOf(l, l.length - 2));
        assertEquals(lab + ": byte offset 9: truncated: header promises 3 labels (11 bytes), file has 9",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null)).getMessage());
        Path empty = write("e", new byte[0]);
        assertEquals(empty + ": byte offset 0: empty file, expected an IDX image file",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", empty, lab, null)).getMessage());
        Path header = write("h", Arrays.copyOf(images(3, 2, 2), 10));
        assertEquals(header + ": byte offset 10: truncated: file ends inside the 16-byte header",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", header, lab, null)).getMessage());
    }

    @Test
    void zeroDimensionAndLabelBeyondClassNamesAreRefused() throws Exception {
        Path img = write("i", images(0, 2, 2));
        Path lab = write("l", labels());
        assertEquals(img + ": byte offset 4: image count 0 must be positive",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null)).getMessage());
        Path img2 = write("i2", images(2, 2, 2));
        Path lab2 = write("l2", labels(1, 7));
        assertEquals(lab2 + ": byte offset 9: label 7 outside 0..2",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img2, lab2, List.of("a", "b", "c"))).getMessage());
    }
}
