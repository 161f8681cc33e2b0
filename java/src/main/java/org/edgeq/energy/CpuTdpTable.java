package org.edgeq.energy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A small table of common CPUs' TDP and core counts, keyed by the model name /proc/cpuinfo shows, each value with the
 * vendor page it was taken from; and the generic value used for any other CPU. Only a default for the estimate:
 * --cpu-tdp-w and --cpu-cores override it, and a readable RAPL counter makes it unnecessary.
 */
public final class CpuTdpTable {

    /**
     * One CPU: {@code key} is matched against the model name as a whole word (so "Gold 6248" does not match
     * "Gold 6248R", a different part), ignoring case and the (R)/(TM) marks.
     */
    public record Entry(String key, double tdpWatts, int cores, String source) {
    }

    /** Where "TDP" is read on Intel's pages (Processor Base Power on newer parts). */
    private static final String ARK = "Intel ARK product specifications (ark.intel.com)";
    /** Where "Default TDP" is read on AMD's pages. */
    private static final String AMD = "AMD product specifications (amd.com/en/products)";

    /** The table: server parts common in clouds and clusters, and a few desktop parts. */
    public static final List<Entry> ENTRIES = List.of(
            new Entry("E5-2620 v3", 85, 6, ARK + ", Xeon E5-2620 v3: TDP 85 W, 6 cores"),
            new Entry("Xeon Gold 6248", 150, 20, ARK + ", Xeon Gold 6248: TDP 150 W, 20 cores"),
            new Entry("Xeon Gold 6252", 150, 24, ARK + ", Xeon Gold 6252: TDP 150 W, 24 cores"),
            new Entry("Xeon Platinum 8280", 205, 28, ARK + ", Xeon Platinum 8280: TDP 205 W, 28 cores"),
            new Entry("Xeon Platinum 8380", 270, 40, ARK + ", Xeon Platinum 8380: TDP 270 W, 40 cores"),
            new Entry("Xeon Platinum 8480+", 350, 56, ARK + ", Xeon Platinum 8480+: TDP 350 W, 56 cores"),
            new Entry("Core i9-9900K", 95, 8, ARK + ", Core i9-9900K: TDP 95 W, 8 cores"),
            new Entry("Core i7-12700K", 125, 12, ARK + ", Core i7-12700K: Processor Base Power 125 W, 12 cores"),
            new Entry("Core i9-13900K", 125, 24, ARK + ", Core i9-13900K: Processor Base Power 125 W, 24 cores"),
            new Entry("EPYC 7742", 225, 64, AMD + ", EPYC 7742: Default TDP 225 W, 64 cores"),
            new Entry("EPYC 7763", 280, 64, AMD + ", EPYC 7763: Default TDP 280 W, 64 cores"),
            new Entry("EPYC 9654", 360, 96, AMD + ", EPYC 9654: Default TDP 360 W, 96 cores"),
            new Entry("Ryzen Threadripper 3990X", 280, 64, AMD + ", Ryzen Threadripper 3990X: Default TDP 280 W, 64 cores"),
            new Entry("Ryzen 7 5800X", 105, 8, AMD + ", Ryzen 7 5800X: Default TDP 105 W, 8 cores"),
            new Entry("Ryzen 9 5950X", 105, 16, AMD + ", Ryzen 9 5950X: Default TDP 105 W, 16 cores"),
            new Entry("Ryzen 9 7950X", 170, 16, AMD + ", Ryzen 9 7950X: Default TDP 170 W, 16 cores"));

    /**
     * The TDP assumed for a CPU missing from the table: CodeCarbon's fallback ({@code POWER_CONSTANT = 85}, "default W
     * value for a CPU if no model is found in the ref csv", codecarbon/external/hardware.py).
     */
    public static final double GENERIC_TDP_WATTS = 85;
    public static final String GENERIC_SOURCE = "generic value for a CPU not in EdgeQ's table, CodeCarbon's fallback (POWER_CONSTANT = 85 W)";

    private CpuTdpTable() {
    }

    /** The entry whose key names {@code modelName}, if any. */
    public static Optional<Entry> lookup(String modelName) {
        if (modelName == null) return Optional.empty();
        String name = normalise(modelName);
        for (Entry e : ENTRIES) {
            Pattern p = Pattern.compile("(^|[^a-z0-9])" + Pattern.quote(normalise(e.key())) + "($|[^a-z0-9+])");
            if (p.matcher(name).find()) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** The first "model name" of a /proc/cpuinfo file, if it has one (ARM kernels often do not). */
    public static Optional<String> modelName(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
                    String v = line.substring(colon + 1).strip();
                    return v.isEmpty() ? Optional.empty() : Optional.of(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The power the estimate assumes: TDP from {@code tdpWatts} (--cpu-tdp-w) else the table's entry for
     * {@code modelName} else {@link #GENERIC_TDP_WATTS}; cores from {@code cores} (--cpu-cores) else the entry's
     * else {@code visibleProcessors} (what the OS lets this process use).
     */
    public static CpuPower resolve(Double tdpWatts, Integer cores, Optional<String> modelName, int visibleProcessors) {
        Optional<Entry> entry = modelName.flatMap(CpuTdpTable::lookup);
        String cpu = modelName.map(n -> "'" + n + "'").orElse("a CPU /proc/cpuinfo does not name");
        double tdp;
        String tdpSource;
        if (tdpWatts != null) {
            tdp = tdpWatts;
            tdpSource = "--cpu-tdp-w";
        } else if (entry.isPresent()) {
            tdp = entry.get().tdpWatts();
            tdpSource = entry.get().source();
        } else {
            tdp = GENERIC_TDP_WATTS;
            tdpSource = GENERIC_SOURCE + "; " + cpu + " is not in the table";
        }
        int n;
        String nSource;
        if (cores != null) {
            n = cores;
            nSource = "--cpu-cores";
        } else if (entry.isPresent()) {
            n = entry.get().cores();
            nSource = "the " + entry.get().key() + "'s cores";
        } else {
            n = visibleProcessors;
            nSource = "processors this process may use";
        }
        return new CpuPower(tdp, tdpSource, n, nSource);
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("(r)", "").replace("(tm)", "").replaceAll("\\s+", " ").strip();
    }
}
