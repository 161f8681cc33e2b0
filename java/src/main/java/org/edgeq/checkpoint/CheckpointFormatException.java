package org.edgeq.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is truncated, corrupt or does not fit the model; the message is one line naming the file. */
public final class CheckpointFormatException extends IOException {

    private final Path file;
    private final String reason;

    public CheckpointFormatException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public CheckpointFormatException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    private CheckpointFormatException(Path file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.reason = "line " + line + ": " + reason;
    }

    /** A problem on a (1-based) line of a text file in a checkpoint: {@code file:line: reason}. */
    public static CheckpointFormatException atLine(Path file, long line, String reason) {
        return new CheckpointFormatException(file, line, reason);
    }

    public Path file() {
        return file;
    }

    /** The reason without the file name. */
    public String reason() {
        return reason;
    }
}
