package org.edgeq.data;

import java.nio.file.Path;

/**
 * Malformed input in a data file, with a message that points at the spot: {@code file:line: reason} for text
 * formats and {@code file: byte offset N: reason} for binary ones. Loaders throw it instead of returning a
 * partial dataset.
 */
public final class DataFormatException extends Exception {
    private final transient Path file;

    private DataFormatException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** A problem on a (1-based) line of a text file. */
    public static DataFormatException atLine(Path file, long line, String reason) {
        return new DataFormatException(file, file + ":" + line + ": " + reason);
    }

    /** A problem at a byte offset of a binary file (for gzipped files: the offset in the decompressed stream). */
    public static DataFormatException atByte(Path file, long offset, String reason) {
        return new DataFormatException(file, file + ": byte offset " + offset + ": " + reason);
    }

    /** A problem with the file as a whole (missing companion file, no data at all). */
    public static DataFormatException inFile(Path file, String reason) {
        return new DataFormatException(file, file + ": " + reason);
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
