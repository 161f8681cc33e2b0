package org.edgeq.energy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** A powercap sysfs tree a test writes: zones with name, energy_uj and max_energy_range_uj, and files made unreadable. */
final class FakePowercap {
    final Path root;
    private final Set<Path> denied = new HashSet<>();

    FakePowercap(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds zone {@code zone} (e.g. intel-rapl:0) named {@code name} with its counter at {@code energyUj}. */
    FakePowercap zone(String zone, String name, long energyUj, long maxRangeUj) {
        Path dir = root.resolve(zone);
        write(dir.resolve("name"), name + "\n");
        write(dir.resolve("energy_uj"), energyUj + "\n");
        write(dir.resolve("max_energy_range_uj"), maxRangeUj + "\n");
        return this;
    }

    /** Sets a zone's counter, as the hardware would have moved it. */
    FakePowercap counter(String zone, long energyUj) {
        write(root.resolve(zone).resolve("energy_uj"), energyUj + "\n");
        return this;
    }

    /** Makes a file of a zone unreadable to {@link #reader()} (as energy_uj is to non-root users since Linux 5.10). */
    FakePowercap deny(String zone, String file) {
        denied.add(root.resolve(zone).resolve(file));
        return this;
    }

    /** Reads the tree like the real reader, refusing denied files as the kernel does: AccessDeniedException. */
    RaplZones.FileReader reader() {
        return file -> {
            if (denied.contains(file)) throw new AccessDeniedException(file.toString());
            return Files.readString(file);
        };
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            // Written aside and moved in, so a guard thread reading meanwhile sees the old value or the new, never half.
            Path tmp = Files.createTempFile(file.getParent(), ".write", ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
