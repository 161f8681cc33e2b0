package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One input of a report: the rows of one results file (or of a study held in memory), what kind of file it was and
 * what its reader had to say about it, so that the report can name every figure's origin.
 *
 * @param name   how the report names the source: the file's name, or a study's label
 * @param file   the file read, null for rows handed over in memory
 * @param format which kind of results table the rows came from
 * @param rows   the rows in file order
 * @param notes  the reader's remarks (e.g. value names it kept as they are), each already "file:line: ..."
 */
public record ReportSource(String name, Path file, Format format, List<ResultRow> rows, List<String> notes) {

    /** Rows whose origin the report labels "seed": the seed study's own tables. */
    public static final String SEED = "seed";

    /** Rows whose origin the report labels "EdgeQ": results files EdgeQ wrote. */
    public static final String EDGEQ = "EdgeQ";

    /** The kinds of results table a report reads. */
    public enum Format {
        RESULTS_V2("EdgeQ results, schema v2", EDGEQ),
        SEED_QUANTIZATION("the seed study's quantization table", SEED),
        SEED_PRUNING("the seed study's pruning table", SEED);

        private final String description;
        private final String origin;

        Format(String description, String origin) {
            this.description = description;
            this.origin = origin;
        }

        public String description() {
            return description;
        }

        /** {@link #SEED} or {@link #EDGEQ}: the label the plots give this format's curves. */
        public String origin() {
            return origin;
        }
    }

    public ReportSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** Rows EdgeQ made in this process (a study that has just finished), named {@code name}. */
    public static ReportSource inMemory(String name, List<ResultRow> rows) {
        return new ReportSource(name, null, Format.RESULTS_V2, rows, List.of());
    }

    /** {@link #SEED} or {@link #EDGEQ}. */
    public String origin() {
        return format.origin();
    }

    /** The distinct EdgeQ versions that wrote the rows, sorted; empty for the seed's tables. */
    public List<String> edgeqVersions() {
        return distinct(rows.stream().map(r -> r.provenance().edgeqVersion()).toList());
    }

    /** The distinct meters of the rows' measured energy (rapl, nvml, estimate), sorted; "none" left out. */
    public List<String> energySources() {
        return distinct(rows.stream().map(r -> r.cost().energySource())
                .filter(s -> s != null && !s.equals(ResultRow.NO_ENERGY)).toList());
    }

    /** How many rows carry the hardware model's energy per inference (est_energy_uj_per_inference). */
    public long rowsWithEnergyModel() {
        return rows.stream().filter(r -> Double.isFinite(r.cost().estEnergyUjPerInference())).count();
    }

    /** A source is itself: two reads of one file are two sources (and comparing never walks the rows). */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    private static List<String> distinct(List<String> values) {
        TreeSet<String> set = new TreeSet<>();
        for (String v : values) if (v != null && !v.isBlank()) set.add(v);
        return List.copyOf(set);
    }
}
