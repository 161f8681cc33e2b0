package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CifarLoaderTest {
    @TempDir
    Path tmp;

    /** Records whose pixel p of record r holds (r + p) mod 256 after the given label bytes. */
    static byte[] records(int[][] labels) {
        int labelBytes = labels[0].length;
        int rec = labelBytes + 3072;
        byte[] b = new byte[labels.length * rec];
        for (int r = 0; r < labels.length; r++) {
            for (int j = 0; j < labelBytes; j++) b[r * rec + j] = (byte) labels[r][j];
            for (int p = 0; p < 3072; p++) b[r * rec + labelBytes + p] = (byte) (r + p);
        }
        return b;
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void cifar10BatchesConcatenateWithChannelFirstPixelsScaled() throws Exception {
        Path a = write("data_batch_1.bin", records(new int[][]{{3}, {9}}));
        Path b = write("data_batch_2.bin", records(new int[][]{{0}}));
        Dataset d = new CifarLoader(CifarLoader.Variant.CIFAR10).load("c10", List.of(a, b));
        assertEquals(3, d.size());
        assertArrayEquals(new int[]{3, 32, 32}, d.featureShape());
        assertArrayEquals(new int[]{3, 9, 0}, d.labels());
        assertEquals(10, d.numClasses());
        assertEquals("cat", d.classNames().get(3));
        assertEquals(1 / 255f, d.features()[3072 + 0], 1e-7f, "record 1, red pixel 0");
        assertEquals(((1 + 2048) & 0xff) / 255f, d.features()[3072 + 2048], 1e-7f, "record 1, first blue pixel");
        assertEquals(0f, d.features()[2 * 3072]);
    }

    @Test
    void cifar100KeepsFineOrCoarseLabelAsAsked() throws Exception {
        Path f = write("train.bin", records(new int[][]{{4, 77}, {19, 3}}));
        Dataset fine = new CifarLoader(CifarLoader.Variant.CIFAR100_FINE).load("c100", List.of(f));
        Dataset coarse = new CifarLoader(CifarLoader.Variant.CIFAR100_COARSE).load("c100", List.of(f));
        assertArrayEquals(new int[]{77, 3}, fine.labels());
        assertEquals(100, fine.numClasses());
        assertArrayEquals(new int[]{4, 19}, coarse.labels());
        assertEquals(20, coarse.numClasses());
        assertEquals(fine.features()[3072 + 5], (1 + 5) / 255f, 1e-7f);
    }

    @Test
    void truncatedRecordLabelOutOfRangeAndEmptyFileAreRefusedWithOffsets() throws Exception {
        byte[] two = records(new int[][]{{1}, {2}});
        Path cut = write("cut.bin", Arrays.copyOf(two, two.length - 100));
        assertEquals(cut + ": byte offset 3073: truncated record: 2973 of 3073 bytes",
                assertThrows(DataFormatException.class, () -> new CifarLoader(CifarLoader.Variant.CIFAR10).load("c", List.of(cut))).getMessage());
        Path bad = write("bad.bin", records(new int[][]{{1}, {12}}));
        assertEquals(bad + ": byte offset 3073: label 12 outside 0..9",
                assertThrows(DataFormatException.class, () -> new CifarLoader(CifarLoader.Variant.CIFAR10).load("c", List.of(bad))).getMessage());
        Path coarse = write("coarse.bin", records(new int[][]{{25, 1}}));
        assertEquals(coarse + ": byte offset 0: coarse label 25 outside 0..19",
                assertThrows(DataFormatException.class, () -> new CifarLoader(CifarLoader.Variant.CIFAR100_FINE).load("c", List.of(coarse))).getMessage());
        Path empty = write("empty.bin", new byte[0]);
        assertEquals(empty + ": byte offset 0: empty file, expected 3073-byte CIFAR10 records",
                assertThrows(DataFormatException.class, () -> new CifarLoader(CifarLoader.Variant.CIFAR10).load("c", List.of(empty))).getMessage());
    }
}
