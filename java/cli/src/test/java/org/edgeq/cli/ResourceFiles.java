package org.edgeq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The core's test fixtures as files for the command line's tests. They come from the core's test-jar, where a
 * resource is a jar entry rather than a file, so each is copied out into the test's own folder first.
 */
final class ResourceFiles {
    private ResourceFiles() {
    }

    /** Copies the resource {@code name} (e.g. "/seed-results/quantization.csv") to {@code dir}/name and returns that file. */
    static Path file(String name, Path dir) {
        Path target = dir.resolve(name.substring(1));
        try (InputStream in = ResourceFiles.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("test resource " + name + " is missing (the core's test-jar holds it)");
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the files {@code names} of the resource folder {@code folder} to {@code dir}/folder and returns that folder. */
    static Path folder(String folder, Path dir, String... names) {
        for (String n : names) file(folder + "/" + n, dir);
        return dir.resolve(folder.substring(1));
    }
}
