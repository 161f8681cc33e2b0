package org.edgeq.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Function;

/**
 * The one place EdgeQ's readers open input files: every read is bounded by a documented cap (docs/data.md,
 * "Limits"), non-regular files (devices such as /dev/zero, FIFOs, sockets, directories, symlinks to any of them) are
 * refused before they are opened, and text is decoded as strict UTF-8 so a bad byte is reported by line.
 *
 * <p>Callers turn a refusal reason into their own format exception ({@link DataFormatException},
 * {@code CheckpointFormatException}); the reason never repeats the file name.
 */
public final class BoundedInput {
    /** Cap for text datasets (CSV, telescope and KEEL {@code .dat}): 256 MiB. */
    public static final long TEXT_DATA_CAP = 256L << 20;
    /** Cap for binary datasets (IDX, CIFAR), on the file and on its decompressed content: 512 MiB. */
    public static final long BINARY_DATA_CAP = 512L << 20;
    /**
     * Cap on the features a text dataset may expand to (rows times features after one-hot encoding): 256 Mi floats,
     * 1 GiB, so that a small file with a huge nominal set or many distinct categories cannot ask for more.
     */
    public static final long FEATURE_FLOATS_CAP = 256L << 20;
    /** Cap for JSON beside a model ({@code model.json}, {@code split.json}): 64 MiB. */
    public static final long JSON_CAP = 64L << 20;
    /** Cap for a compressed model ({@code model.eqz}): 1 GiB. */
    public static final long MODEL_FILE_CAP = 1L << 30;

    private BoundedInput() {
    }

    /**
     * Why {@code file} cannot be read within {@code cap} bytes (not a regular file, or larger than the cap), or null
     * when it can. A missing file throws {@link java.nio.file.NoSuchFileException} as before.
     */
    public static String refusal(Path file, long cap) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // follows symlinks
        if (a.isDirectory()) return "is a directory, expected a file";
        if (!a.isRegularFile()) return "not a regular file (" + kind(file) + ")";
        if (a.size() > cap) return "is " + a.size() + " bytes, over the " + mib(cap) + " cap for this kind of file (docs/data.md, Limits)";
        return null;
    }

    /** As {@link #refusal(Path, long)}, thrown as {@code refused.apply(reason)}. */
    public static <E extends Exception> void check(Path file, long cap, Function<String, E> refused) throws IOException, E {
        String reason = refusal(file, cap);
        if (reason != null) throw refused.apply(reason);
    }

    /** As {@link #check(Path, long, Function)} for data files: a {@link DataFormatException} {@code file: reason}. */
    public static void checkData(Path file, long cap) throws IOException, DataFormatException {
        check(file, cap, reason -> DataFormatException.inFile(file, reason));
    }

    /** The whole file, after {@link #check}; never more than {@code cap} bytes even if the file grows meanwhile. */
    public static <E extends Exception> byte[] readAllBytes(Path file, long cap, Function<String, E> refused) throws IOException, E {
        check(file, cap, refused);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 16));
            if (in.read() != -1) throw refused.apply("grew past the " + mib(cap) + " cap while being read");
            return b;
        }
    }

    /** A strict UTF-8 reader over the file after {@link #checkData}: at most {@code cap} bytes, bad bytes reported as {@link NotUtf8Exception}. */
    static Reader utf8Reader(Path file, long cap) throws IOException, DataFormatException {
        checkData(file, cap);
        return new Utf8Reader(file, Files.newInputStream(file), cap);
    }

    /** The bytes as strict UTF-8 text, or {@link NotUtf8Exception} with the line and value of the first bad byte. */
    public static String utf8(byte[] bytes) throws NotUtf8Exception {
        CharsetDecoder d = strictDecoder();
        CharBuffer out = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) throw NotUtf8Exception.at(bytes, in.position());
        d.flush(out);
        return out.flip().toString();
    }

    /**
     * {@code rows * features} as an array length, or a {@link DataFormatException} at {@code line} when it passes
     * {@link #FEATURE_FLOATS_CAP} (computed without overflow).
     */
    static int featureFloats(Path file, long line, long rows, long features) throws DataFormatException {
        if (features > 0 && rows > FEATURE_FLOATS_CAP / features) {
            throw DataFormatException.atLine(file, line, rows + " rows of " + features + " features pass the cap of "
                    + FEATURE_FLOATS_CAP + " feature values (1 GiB; docs/data.md, Limits)");
        }
        return (int) (rows * features);
    }

    /** "N MiB" for a cap. */
    static String mib(long cap) {
        return (cap >> 20) + " MiB";
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String kind(Path file) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a device, FIFO or socket";
        }
    }

    /** Input that is not valid UTF-8: the 1-based line and the value of the first bad byte. */
    public static final class NotUtf8Exception extends IOException {
        private final long line;
        private final int badByte;

        NotUtf8Exception(long line, int badByte) {
            super(reason(badByte) + " on line " + line);
            this.line = line;
            this.badByte = badByte;
        }

        static NotUtf8Exception at(byte[] bytes, int offset) {
            long line = 1;
            for (int i = 0; i < offset; i++) if (bytes[i] == '\n') line++;
            return new NotUtf8Exception(line, offset < bytes.length ? bytes[offset] & 0xff : 0);
        }

        public long line() {
            return line;
        }

        /** {@code not valid UTF-8 (byte 0xff)}, the text after {@code file:line: }. */
        public String reason() {
            return reason(badByte);
        }

        private static String reason(int b) {
            return String.format("not valid UTF-8 (byte 0x%02x)", b);
        }
    }

    /**
     * Decodes strict UTF-8 in chunks, counting lines, and hands out every character before a bad byte before
     * reporting it, so that an earlier problem on an earlier line is still reported first.
     */
    private static final class Utf8Reader extends Reader {
        private final Path file;
        private final InputStream in;
        private final long cap;
        private final CharsetDecoder decoder = strictDecoder();
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
        private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
        private long read;
        private long line = 1;
        private boolean eof;
        private IOException pending;

        Utf8Reader(Path file, InputStream in, long cap) {
            this.file = file;
            this.in = in;
            this.cap = cap;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (!chars.hasRemaining()) {
                if (pending != null) throw pending;
                if (eof) return -1;
                fill();
            }
            int n = Math.min(len, chars.remaining());
            chars.get(buf, off, n);
            return n;
        }

        private void fill() throws IOException {
            bytes.compact();
            int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (r > 0) {
                read += r;
                if (read > cap) throw new IOException(file + ": grew past the " + mib(cap) + " cap while being read");
                bytes.position(bytes.position() + r);
            }
            bytes.flip();
            boolean end = r < 0;
            chars.clear();
            CoderResult result = decoder.decode(bytes, chars, end);
            if (end && !result.isError()) {
                result = decoder.flush(chars);
                eof = true;
            }
            chars.flip();
            for (int i = chars.position(); i < chars.limit(); i++) if (chars.get(i) == '\n') line++;
            if (result.isError()) pending = new NotUtf8Exception(line, bytes.get(bytes.position()) & 0xff);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
