package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, defects 1, 9 and 10 as specifications: every reader stops at what its header promises or at the
 * documented cap (docs/data.md, Limits), refuses non-regular files before opening them, reports bad UTF-8 by line
 * and byte, and quotes input cut to about 60 characters. Big files here are sparse: nothing gigabyte-sized is
 * written or read.
 */
class BoundedReadingTest {
    private static final java.time.Duration FAST = java.time.Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path sparse(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
        assertTrue(message.length() < 300, "short: " + message.length() + " characters");
    }

    @Test
    void twoGigabyteSparseDatFileIsRefusedOverTheCapWithoutReadingIt() throws Exception {
        Path dat = sparse("x.dat", 2L << 30);
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new Datasets(dir).resolve(dat.toString(), null)));
        assertEquals(dat + ": is 2147483648 bytes, over the 256 MiB cap for this kind of file (docs/data.md, Limits)", e.getMessage());
        assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(dat));
        assertThrows(DataFormatException.class, () -> new KeelLoader().load(dat));
    }

    @Test
    void twoGigabyteSparseCsvIsRefusedOverTheCap() throws Exception {
        Path csv = sparse("x.csv", 2L << 30);
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new CsvLoader("y", null).load(csv)));
        assertTrue(e.getMessage().startsWith(csv + ": is 2147483648 bytes, over the 256 MiB cap"), e.getMessage());
        assertThrows(DataFormatException.class, () -> new ChurnCsvLoader().load(csv));
    }

    @Test
    void threeGigabyteSparseIdxFileIsRefusedOverTheCap() throws Exception {
        Path img = sparse("images-idx3-ubyte", 3L << 30);
        Path lab = write("labels-idx1-ubyte", IdxLoaderTest.labels(1));
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new IdxLoader().load("t", img, lab, null)));
        assertEquals(img + ": is 3221225472 bytes, over the 512 MiB cap for this kind of file (docs/data.md, Limits)", e.getMessage());
    }

    @Test
    void idxHeaderPromisingMoreThanTheCapIsRefusedBeforeAllocating() throws Exception {
        byte[] header = IdxLoaderTest.images(1, 1, 1);
        java.nio.ByteBuffer.wrap(header).putInt(4, 60_000_000).putInt(8, 100).putInt(12, 100);
        Path img = write("i", header);
        Path lab = write("l", IdxLoaderTest.labels(1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null));
        assertEquals(img + ": byte offset 4: header promises 60000000 images of 100x100, over the 512 MiB cap for binary data (docs/data.md, Limits)",
                e.getMessage());
    }

    @Test
    void smallFilesPromisingHundredsOfMegabytesAreTruncatedWithoutAllocatingThem() throws Exception {
        byte[] header = IdxLoaderTest.images(1, 1, 1);
        java.nio.ByteBuffer.wrap(header).putInt(4, 500_000_000);
        Path img = write("i", header);
        Path gz = write("i.gz", IdxLoaderTest.gzip(header));
        Path lab = write("l", IdxLoaderTest.labels(1));
        long before = usedHeap();
        assertEquals(img + ": byte offset 17: truncated: header promises 500000000 images of 1x1 (500000016 bytes), file has 17",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", img, lab, null)).getMessage());
        assertEquals(gz + ": byte offset 17: truncated: header promises 500000000 images of 1x1 (500000016 bytes), file has 17",
                assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", gz, lab, null)).getMessage());
        assertTrue(usedHeap() - before < 100L << 20, "no 500 MB array was allocated");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void gzipBombBehindAHeaderPromisingOneOnePixelImageStopsInflatingAtTheSeventeenthByte() throws Exception {
        // One 1x1 image promised (17 bytes), then 64 MiB of zeros compressed to about 64 KB.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(IdxLoaderTest.images(1, 1, 1));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.write(zeros);
        }
        Path img = write("bomb-idx3-ubyte.gz", bomb.toByteArray());
        Path lab = write("l", IdxLoaderTest.labels(1));
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new IdxLoader().load("t", img, lab, null)));
        assertEquals(img + ": byte offset 17: gzip stream inflates past the 17 bytes the IDX header promises", e.getMessage());
    }

    @Test
    void cifarGzipStreamMayNotInflatePastTheCap() throws Exception {
        Path big = sparse("data_batch_1.bin", BoundedInput.BINARY_DATA_CAP + 1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CifarLoader(CifarLoader.Variant.CIFAR10).load("c", java.util.List.of(big)));
        assertTrue(e.getMessage().startsWith(big + ": is 536870913 bytes, over the 512 MiB cap"), e.getMessage());
    }

    @Test
    void devZeroAndASymlinkToItAreRefusedAsNotRegularFiles() throws Exception {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "needs /dev/zero");
        Path link = Files.createSymbolicLink(dir.resolve("zero.dat"), zero);
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new Datasets(dir).resolve(link.toString(), null)));
        assertEquals(link + ": not a regular file (a character device)", e.getMessage());
        assertEquals(zero + ": not a regular file (a character device)",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(zero)).getMessage());
        Path lab = write("l", IdxLoaderTest.labels(1));
        assertThrows(DataFormatException.class, () -> new IdxLoader().load("t", link, lab, null));
    }

    @Test
    void fifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.csv");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "needs mkfifo");
            return;
        }
        assumeTrue(mk.waitFor() == 0, "mkfifo failed");
        // Opening a FIFO with no writer blocks forever: the refusal must come from its attributes alone.
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class,
                () -> new CsvLoader("y", null).load(fifo)));
        assertEquals(fifo + ": not a regular file (a FIFO)", e.getMessage());
    }

    @Test
    void nonUtf8DatFileIsReportedByLineAndByte() throws Exception {
        Path dat = write("junk.dat", "1,2,3,4,5,6,7,8,9,10,g\n1,2,3,4,5,6,7,8,9,10,h\n1,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new Datasets(dir).resolve(dat.toString(), null));
        assertEquals(dat + ":3: not valid UTF-8 (byte 0xe9)", e.getMessage());
        Path keel = write("junk-keel.dat", "@relation r\n@attribute a real\n@attribute c {x, y}\n@data\n1,x\n\u00ff,y\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(keel + ":6: not valid UTF-8 (byte 0xff)",
                assertThrows(DataFormatException.class, () -> new KeelLoader().load(keel)).getMessage());
    }

    @Test
    void nonUtf8CsvIsReportedByLineAndByteEvenPastTheFirstChunk() throws Exception {
        StringBuilder s = new StringBuilder("a,b\n");
        for (int i = 0; i < 20_000; i++) s.append(i).append(",1\n"); // well past one 64 KiB decoding chunk
        byte[] good = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length + 5);
        System.arraycopy(new byte[]{'7', ',', (byte) 0xc3, 0x28, '\n'}, 0, bad, good.length, 5); // 0xc3 must be followed by 0x80..0xbf
        Path csv = write("bad.csv", bad);
        assertEquals(csv + ":20002: not valid UTF-8 (byte 0xc3)",
                assertThrows(DataFormatException.class, () -> new CsvLoader("b", null).load(csv)).getMessage());
    }

    @Test
    void anEarlierProblemIsStillReportedBeforeALaterBadByte() throws Exception {
        Path dat = write("early.dat", "1,2,3,4,5,6,7,8,9,10,g\n1,2\n1,\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(dat + ":2: expected 11 columns, found 2",
                assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(dat)).getMessage());
    }

    @Test
    void fiftyMegabyteCellIsQuotedCutToAboutSixtyCharacters() throws Exception {
        String cell = "x".repeat(5_000_000); // the 50 MB cell, a tenth of it: the cut does not depend on size
        Path csv = write("wide.csv", ("a,b\n1,2\n" + cell + ",3\n").getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new CsvLoader("b", null).load(csv));
        assertEquals(csv + ":3: column 'a': not a number '" + "x".repeat(57) + "...' (5000000 characters)", e.getMessage());
        assertOneLine(e.getMessage());
        Path dat = write("wide.dat", ("1,2,3,4,5,6,7,8,9,10," + cell + "\n").getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DataFormatException.class, () -> new TelescopeLoader().load(dat));
        assertEquals(dat + ":1: class: expected g or h, found '" + "x".repeat(57) + "...' (5000000 characters)", e.getMessage());
    }

    @Test
    void oneHotExpansionPastTheFeatureCapIsRefusedBeforeAllocating() throws Exception {
        // 20,000 rows, each with its own Geography: 20,000 x 20,002 one-hot features would be 1.6 GB of floats.
        StringBuilder s = new StringBuilder("RowNumber,CustomerId,Surname,Geography,Gender,Exited\n");
        for (int i = 0; i < 20_000; i++) s.append(i).append(',').append(i).append(",S,G").append(i).append(",F,0\n");
        Path csv = write("churn.csv", s.toString().getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertTimeoutPreemptively(FAST, () -> assertThrows(DataFormatException.class, () -> new ChurnCsvLoader().load(csv)));
        assertEquals(csv + ":20001: 20000 rows of 20001 features pass the cap of 268435456 feature values (1 GiB; docs/data.md, Limits)", e.getMessage());
    }

    @Test
    void quoteKeepsShortInputWholeAndCutsLongInputAndControlCharacters() {
        assertEquals("'abc'", Quote.of("abc"));
        assertEquals("'" + "y".repeat(60) + "'", Quote.of("y".repeat(60)));
        assertEquals("'" + "y".repeat(57) + "...' (61 characters)", Quote.of("y".repeat(61)));
        assertEquals("'a b'", Quote.of("a\nb"));
        assertEquals("Unrecognized token '" + "z".repeat(57) + "...' (300 characters): was expecting JSON",
                Quote.inMessage("Unrecognized token '" + "z".repeat(300) + "': was expecting JSON\n at [Source: ...]"));
        assertEquals("For input string: \"" + "7".repeat(57) + "...\" (100 characters)", Quote.cutQuoted("For input string: \"" + "7".repeat(100) + "\""));
        // Jackson echoes a huge number bare, in parentheses (a fuzz finding on model.json)
        assertEquals("from Number value (" + "9".repeat(57) + "... (122 characters))",
                Quote.inMessage("from Number value (" + "9".repeat(122) + ")"));
    }

    @Test
    void splitJsonWithBadUtf8OrOverTheCapIsRefusedByLine() throws Exception {
        Path bad = write("split.json", "{\n\"dataset\": \"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(bad + ":2: not valid UTF-8 (byte 0xff)",
                assertThrows(DataFormatException.class, () -> SplitFile.read(bad, "d", 3)).getMessage());
        Path big = sparse("big-split.json", BoundedInput.JSON_CAP + 1);
        assertEquals(big + ": is 67108865 bytes, over the 64 MiB cap for this kind of file (docs/data.md, Limits)",
                assertThrows(DataFormatException.class, () -> SplitFile.read(big, "d", 3)).getMessage());
    }
}
