package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.edgeq.fuzz.ReaderProperty;

/** A gzipped IDX image file ({@link IdxLoader}) whose content is any bytes is a dataset or a one-line refusal, and inflates no further than its header promises (issue 11). */
class IdxGzipFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyGzippedIdxImageFileIsADatasetOrAOneLineRefusal(byte[] input) {
        // The fuzzed bytes are an image file, gzipped here so that every input exercises the inflation bound; the
        // label file promises one label per image the header claims (at most 255 here).
        int images = input.length < 8 ? 1 : Math.max(1, Math.min(255, (input[4] & 0xff) << 24 | (input[5] & 0xff) << 16 | (input[6] & 0xff) << 8 | (input[7] & 0xff)));
        byte[] labels = new byte[8 + images];
        labels[3] = 0x01;
        labels[2] = 0x08;
        labels[7] = (byte) images;
        Path labelFile = ReaderProperty.write("idx-gz/labels-idx1-ubyte", labels);
        Path imageFile = ReaderProperty.write("idx-gz/images-idx3-ubyte.gz", gzip(input));
        ReaderProperty.check(input.length, () -> new IdxLoader().load("idx", imageFile, labelFile, null));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
