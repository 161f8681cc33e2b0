package org.edgeq.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a whole binary data file into memory, transparently un-gzipping it when it starts with 1f 8b. */
final class BinaryFiles {
    private BinaryFiles() {
    }

    /**
     * The file's bytes, decompressed if gzipped. A damaged or cut-off gzip stream is reported at the decompressed
     * byte offset where it broke, so a truncated download reads as truncated, not as an I/O failure.
     */
    static byte[] readMaybeGzipped(Path file) throws IOException, DataFormatException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) return raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            int r;
            while ((r = in.read(buf)) > 0) out.write(buf, 0, r);
        } catch (EOFException e) {
            throw DataFormatException.atByte(file, out.size(), "gzip stream ends early (truncated file)");
        } catch (ZipException e) {
            throw DataFormatException.atByte(file, out.size(), "corrupt gzip data: " + e.getMessage());
        }
        return out.toByteArray();
    }

    static int bigEndianInt(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
    }
}
