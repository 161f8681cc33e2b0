package org.edgeq.checkpoint;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Gives a write failure the file it happened to: a full disk surfaces from {@code FileChannel.write} as a bare
 * {@code IOException("No space left on device")}, which would reach the user without saying what was being written.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * {@code e} itself when it already names a file, else a {@link FileSystemException} for {@code file} with
     * {@code e}'s message as the reason (and {@code e} as its cause), which the CLI prints as {@code file: reason}.
     */
    public static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) return e;
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        FileSystemException named = new FileSystemException(file.toString(), null, reason);
        named.initCause(e);
        return named;
    }
}
