package org.edgeq.study;

import org.edgeq.data.DataFormatException;
import org.edgeq.data.Datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the dataset a command or study names, turning loader failures into the command line's error kinds: a
 * malformed file becomes a {@link BadInputException} carrying {@code file:line: reason}, an unknown name a
 * {@link BadUsageException}.
 */
public final class DataLoading {
    private DataLoading() {
    }

    public static Datasets registry(Path dataDir) {
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) throw new BadUsageException("--data-dir " + dataDir + " is not a directory");
            return new Datasets(dataDir);
        }
        return Datasets.withDefaultDataDir();
    }

    public static Datasets.Resolved load(Datasets registry, String nameOrPath, String targetColumn) throws IOException {
        try {
            return registry.resolve(nameOrPath, targetColumn);
        } catch (DataFormatException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            if (!Datasets.NAMES.contains(nameOrPath)) throw e;
            throw new BadInputException(e.getFile() + ": " + (e.getReason() == null ? "not found" : e.getReason())
                    + "; pass --data-dir DIR to say where the datasets are", e);
        } catch (IllegalArgumentException e) {
            throw new BadUsageException("--dataset: " + e.getMessage());
        }
    }

    /** What to record so that the same dataset can be loaded again from anywhere: a name, or an absolute path. */
    public static String source(String nameOrPath) {
        if (Datasets.NAMES.contains(nameOrPath)) return nameOrPath;
        return Path.of(nameOrPath).toAbsolutePath().normalize().toString();
    }
}
