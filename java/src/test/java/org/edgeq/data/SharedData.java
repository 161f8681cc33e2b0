package org.edgeq.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the seed study's datasets for tests: $EDGEQ_DATA if set, else the first {@code shared/data} directory found
 * walking up from the working directory. Tests that need a file call {@link #require}, which skips them when the
 * file is absent.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Optional<Path> dir() {
        String env = System.getenv("EDGEQ_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) return Optional.of(Path.of(env));
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The path of {@code relative} in the shared data directory; skips the calling test when it does not exist. */
    public static Path require(String relative) {
        Optional<Path> dir = dir();
        Assumptions.assumeTrue(dir.isPresent(), "no shared/data directory (set EDGEQ_DATA)");
        Path p = dir.get().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " not present");
        return p;
    }
}
