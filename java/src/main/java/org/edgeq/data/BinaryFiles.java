package org.edgeq.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads binary data files within {@link BoundedInput#BINARY_DATA_CAP}, transparently un-gzipping those that start
 * with 1f 8b; a gzip stream is never inflated past the cap (or past what a header promised, see {@link Source}).
 */
final class BinaryFiles {
    private BinaryFiles() {
    }

    /**
     * The file's bytes, decompressed if gzipped, at most {@code cap} of them. A damaged or cut-off gzip stream is
     * reported at the decompressed byte offset where it broke, so a truncated download reads as truncated, not as
     * an I/O failure; one inflating past the cap is refused.
     */
    static byte[] readMaybeGzipped(Path file, long cap) throws IOException, DataFormatException {
        try (Source s = Source.open(file, cap)) {
            byte[] all = s.readUpTo(cap);
            if (s.read(1).length > 0) {
                throw DataFormatException.atByte(file, cap, "gzip stream inflates past the " + BoundedInput.mib(cap)
                        + " cap (docs/data.md, Limits)");
            }
            return all;
        }
    }

    /** An open data file, gzipped or not, read in pieces so that a header can bound what is read after it. */
    static final class Source implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final boolean gzipped;
        private long offset;

        private Source(Path file, InputStream in, boolean gzipped) {
            this.file = file;
            this.in = in;
            this.gzipped = gzipped;
        }

        /** Opens the file after {@link BoundedInput#refusal} with {@code cap} (a regular file within the cap). */
        static Source open(Path file, long cap) throws IOException, DataFormatException {
            BoundedInput.checkData(file, cap);
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                raw.mark(2);
                int b0 = raw.read();
                int b1 = raw.read();
                raw.reset();
                boolean gz = b0 == 0x1f && b1 == 0x8b;
                return new Source(file, gz ? new GZIPInputStream(raw, 1 << 16) : raw, gz);
            } catch (EOFException | ZipException e) {
                raw.close();
                throw DataFormatException.atByte(file, 0, "corrupt gzip header: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        boolean gzipped() {
            return gzipped;
        }

        /** Up to {@code n} more bytes (fewer only at the end of the stream). */
        byte[] read(int n) throws IOException, DataFormatException {
            return readUpTo(n);
        }

        byte[] readUpTo(long n) throws IOException, DataFormatException {
            try {
                byte[] b = in.readNBytes((int) Math.min(n, Integer.MAX_VALUE - 16));
                offset += b.length;
                return b;
            } catch (EOFException e) {
                throw DataFormatException.atByte(file, offset, "gzip stream ends early (truncated file)");
            } catch (ZipException e) {
                throw DataFormatException.atByte(file, offset, "corrupt gzip data: " + e.getMessage());
            }
        }

        /** Reads up to {@code len} bytes into {@code dst[off ..]} (fewer only at the end); returns how many. */
        int readInto(byte[] dst, int off, int len) throws IOException, DataFormatException {
            try {
                int got = in.readNBytes(dst, off, len);
                offset += got;
                return got;
            } catch (EOFException e) {
                throw DataFormatException.atByte(file, offset, "gzip stream ends early (truncated file)");
            } catch (ZipException e) {
                throw DataFormatException.atByte(file, offset, "corrupt gzip data: " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static int bigEndianInt(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
    }
}
