package org.edgeq.study;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one repair for a results file whose last write was cut off (disk full, kill -9): the bytes after the last
 * complete line are appended to {@code <csv>.torn} (forced to disk first, so they are never only in memory) and the
 * file is truncated to its last complete line, so the next append starts on a clean line. Used by
 * {@link ResultsCsv#open} for the plain commands' --csv and by {@link FinishedCells} for a study's results.csv.
 */
final class TornTail {
    private TornTail() {
    }

    /** The end of the last complete line of {@code bytes} (0 when there is none): everything after it is a torn tail. */
    static int cleanEnd(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '\n') return i + 1;
        return 0;
    }

    /** Where the torn tail of {@code csv} goes. */
    static Path tornFile(Path csv) {
        return csv.resolveSibling(csv.getFileName() + ".torn");
    }

    /**
     * Moves {@code bytes[end..]} of {@code csv} to {@code <csv>.torn} (appended there, ending in a newline) and truncates
     * {@code csv} to {@code end}; returns the one-line report, or null when there was nothing after {@code end}.
     */
    static String setAside(Path csv, byte[] bytes, int end) throws IOException {
        if (end >= bytes.length) return null;
        Path torn = tornFile(csv);
        boolean newline = bytes[bytes.length - 1] == '\n';
        ByteBuffer tail = ByteBuffer.allocate(bytes.length - end + (newline ? 0 : 1));
        tail.put(bytes, end, bytes.length - end);
        if (!newline) tail.put((byte) '\n');
        tail.flip();
        try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (tail.hasRemaining()) ch.write(tail);
            ch.force(true);
        }
        try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(true);
        }
        long line = 1;
        for (int i = 0; i < end; i++) if (bytes[i] == '\n') line++;
        return csv + ":" + line + ": a row cut off while it was written (" + (bytes.length - end) + " bytes) was moved to "
                + torn + "; appending after the complete rows";
    }
}
