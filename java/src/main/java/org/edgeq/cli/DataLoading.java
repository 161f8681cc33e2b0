package org.edgeq.cli;

import org.edgeq.data.DataFormatException;
import org.edgeq.data.Datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads the dataset a command names, turning loader failures into the CLI's error kinds: a malformed file becomes
 * an {@link InputException} carrying {@code file:line: reason}, an unknown name a {@link UsageException}.
 */
final class DataLoading {
    private DataLoading() {
    }

    static Datasets registry(Path dataDir) {
        if (dataDir != null) {
            if (!java.nio.file.Files.isDirectory(dataDir)) throw new UsageException("--data-dir " + dataDir + " is not a directory");
            return new Datasets(dataDir);
        }
        return Datasets.withDefaultDataDir();
    }

    static Datasets.Resolved load(Datasets registry, String nameOrPath, String targetColumn) throws IOException {
        try {
            return registry.resolve(nameOrPath, targetColumn);
        } catch (DataFormatException e) {
            throw new InputException(e.getMessage(), e);
        } catch (java.nio.file.NoSuchFileException e) {
            if (!Datasets.NAMES.contains(nameOrPath)) throw e;
            throw new InputException(e.getFile() + ": " + (e.getReason() == null ? "not found" : e.getReason())
                    + "; pass --data-dir DIR to say where the datasets are", e);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset: " + e.getMessage());
        }
    }

    /** What to record so that the same dataset can be loaded again from anywhere: a name, or an absolute path. */
    static String source(String nameOrPath) {
        if (Datasets.NAMES.contains(nameOrPath)) return nameOrPath;
        return Path.of(nameOrPath).toAbsolutePath().normalize().toString();
    }
}
