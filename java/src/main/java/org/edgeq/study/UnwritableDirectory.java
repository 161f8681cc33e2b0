package org.edgeq.study;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that an output folder can be created and written, so that a study never trains for nothing. */
public final class UnwritableDirectory {
    private UnwritableDirectory() {
    }

    /** Null when {@code dir} exists (or was created) and a file can be written in it; otherwise why not. */
    public static String check(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) return "is a file, not a directory";
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".edgeq-write-check", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName();
            return "cannot write there (" + reason + ")";
        }
    }
}
