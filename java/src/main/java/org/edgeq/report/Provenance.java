package org.edgeq.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the report says about where a source's figures came from: its format, the EdgeQ versions that wrote it, how
 * its energy was measured (energy_source, with what each meter is) and whether it carries the hardware model's
 * energy estimates, which are a model and not a measurement.
 */
final class Provenance {
    private Provenance() {
    }

    private static final Map<String, String> METERS = Map.of(
            "rapl", "rapl (measured: RAPL package + DRAM counters)",
            "nvml", "nvml (measured: the GPU's energy counter)",
            "estimate", "estimate (this process's CPU time × TDP / cores)");

    /**
     * A source described for the sources table.
     *
     * @param name     the file's name (or the study's label)
     * @param path     the file's path, empty for rows held in memory
     * @param format   what kind of table it is
     * @param origin   seed or EdgeQ
     * @param rows     how many rows
     * @param subjects the datasets and models it covers
     * @param versions the EdgeQ versions that wrote it, or "-"
     * @param energy   how its measured energy figures were obtained, or "-"
     * @param model    whether and where it carries modelled energy per inference, or "-"
     */
    record Described(String name, String path, String format, String origin, int rows, String subjects, String versions,
                     String energy, String model) {
    }

    static Described of(ReportSource s) {
        Set<String> subjects = new LinkedHashSet<>();
        for (var r : s.rows()) subjects.add(new SourcedRow.Subject(r.subject().dataset(), r.subject().model()).toString());
        List<String> meters = new ArrayList<>();
        for (String m : s.energySources()) meters.add(METERS.getOrDefault(m, m));
        long modelled = s.rowsWithEnergyModel();
        String model = modelled == 0 ? "-" : "est_energy_uj_per_inference in " + modelled + " of " + s.rows().size()
                + " rows: model (edgeq hwsim, Horowitz 45 nm at the row's widths), not measured";
        String versions = s.edgeqVersions().isEmpty() ? (s.origin().equals(ReportSource.SEED)
                ? "- (the seed study's own table, github mohitgulla/Edge)" : "-") : String.join(", ", s.edgeqVersions());
        return new Described(s.name(), s.file() == null ? "" : s.file().toString(), s.format().description(), s.origin(),
                s.rows().size(), subjects.isEmpty() ? "-" : String.join(", ", subjects), versions,
                meters.isEmpty() ? "-" : String.join(", ", meters), model);
    }
}
