package org.edgeq.energy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The RAPL energy counters Linux exposes through powercap sysfs: finds the zones ({@code intel-rapl:N[:M]}, and
 * {@code amd-rapl:N[:M]} where a kernel names them so), reads each zone's {@code name}, {@code energy_uj} and
 * {@code max_energy_range_uj}, and says plainly why the counters cannot be used (no tree, no zones, a file only root
 * may read). The root is a parameter so that tests build a fake tree.
 *
 * <p>Which domains count: each package (its cores and uncore are inside it) plus DRAM (outside the package, on
 * servers). Core, uncore and psys (the whole platform, overlapping the package) are read for the detail line only.
 */
public final class RaplZones {

    /** Where the kernel puts the powercap tree. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/class/powercap");

    private static final Pattern ZONE = Pattern.compile("(intel|amd)-rapl(:\\d+)+");

    /** Reads one sysfs file as text; tests put a stand-in here (this machine runs them as root, who may read anything). */
    @FunctionalInterface
    public interface FileReader {
        String read(Path file) throws IOException;

        /** The real reader. */
        FileReader FILES = Files::readString;
    }

    /** What a zone measures, from its {@code name} file. */
    public enum Kind {
        PACKAGE, CORE, UNCORE, DRAM, PSYS, OTHER;

        static Kind of(String name) {
            if (name.startsWith("package")) return PACKAGE;
            return switch (name) {
                case "core" -> CORE;
                case "uncore" -> UNCORE;
                case "dram" -> DRAM;
                case "psys" -> PSYS;
                default -> OTHER;
            };
        }

        /** Whether this domain's energy is added to the total (package and DRAM do not overlap; the others do). */
        public boolean counted() {
            return this == PACKAGE || this == DRAM;
        }
    }

    /**
     * One readable zone.
     *
     * @param zone       the directory name, e.g. intel-rapl:0:2
     * @param name       the zone's own name, e.g. package-0, core, dram
     * @param energyFile its energy_uj
     * @param maxRangeUj its max_energy_range_uj: the counter wraps to 0 after this many microjoules
     */
    public record Zone(String zone, String name, Kind kind, Path energyFile, long maxRangeUj) {
    }

    /**
     * The zones that can be read, and notes on those that could not (a missing domain is not an error: many
     * machines have no DRAM domain, desktops no psys).
     */
    public record Found(Path root, List<Zone> zones, List<String> notes) {
        public Found {
            zones = List.copyOf(zones);
            notes = List.copyOf(notes);
        }
    }

    private RaplZones() {
    }

    /** Finds the readable zones under {@code root}, or why RAPL cannot be used there; never throws. */
    public static Availability<Found> probe(Path root, FileReader reader) {
        if (!Files.isDirectory(root)) {
            return Availability.unavailable("no " + root + " (this kernel exposes no powercap tree: a virtual machine, "
                    + "or the intel_rapl driver is not loaded)");
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> ZONE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            return Availability.unavailable(root + ": cannot list (" + e.getMessage() + ")");
        }
        if (dirs.isEmpty()) return Availability.unavailable("no RAPL zones (intel-rapl:*, amd-rapl:*) under " + root);

        List<Zone> zones = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String denied = null;
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            try {
                String name = reader.read(dir.resolve("name")).strip();
                Path energy = dir.resolve("energy_uj");
                parse(energy, reader.read(energy));
                Path range = dir.resolve("max_energy_range_uj");
                long max = parse(range, reader.read(range));
                if (max <= 0) throw new IOException(range + ": range " + max + " is not positive");
                zones.add(new Zone(id, name, Kind.of(name), energy, max));
            } catch (AccessDeniedException e) {
                String why = permissionDenied(e.getFile() == null ? dir.toString() : e.getFile());
                if (denied == null) denied = why;
                notes.add(id + ": " + why);
            } catch (NoSuchFileException e) {
                notes.add(id + ": no " + Path.of(e.getFile()).getFileName() + " (domain skipped)");
            } catch (IOException | NumberFormatException e) {
                notes.add(id + ": " + e.getMessage() + " (domain skipped)");
            }
        }
        if (zones.stream().noneMatch(z -> z.kind() == Kind.PACKAGE)) {
            if (denied != null) return Availability.unavailable(denied);
            return Availability.unavailable("no readable RAPL package domain under " + root
                    + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        }
        return Availability.available(new Found(root, zones, notes));
    }

    /** The plain statement for a counter file the process may not read. */
    static String permissionDenied(String file) {
        return "permission denied reading " + file + " (since Linux 5.10 energy_uj is readable by root only, "
                + "CVE-2020-8694; run as root or make it readable, e.g. sudo chmod a+r " + file + ")";
    }

    /** Reads every zone's counter now, in microjoules, in the order of {@code zones}. */
    static long[] read(List<Zone> zones, FileReader reader) throws IOException {
        long[] values = new long[zones.size()];
        for (int i = 0; i < values.length; i++) {
            Path f = zones.get(i).energyFile();
            try {
                values[i] = parse(f, reader.read(f));
            } catch (AccessDeniedException e) {
                throw new IOException(permissionDenied(f.toString()), e);
            }
        }
        return values;
    }

    /**
     * The energy between two readings of one counter, in microjoules: the counter counts up to {@code maxRangeUj}
     * and starts again at 0, so a later value below the earlier one means it wrapped once (a poll at least every few
     * minutes keeps it from wrapping twice unseen; {@link RaplMeter} polls every second).
     */
    static long delta(long before, long after, long maxRangeUj) {
        return after >= before ? after - before : (maxRangeUj - before) + after;
    }

    private static long parse(Path file, String text) throws IOException {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) throw new IOException(file + ": negative counter " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a number: '" + text.strip() + "'");
        }
    }
}
