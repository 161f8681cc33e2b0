package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A cost a variant is plotted and ranked against (lower is better): its size on disk, the hardware model's energy
 * per inference, or its measured batch-1 latency. Each knows its results column, its words and a ladder of units,
 * so that a plot of a 1 kB model reads in bytes and one of a 1 MB model in KiB.
 */
public enum CostAxis {
    SIZE("size", "size on disk", "size_bytes", r -> r.cost().sizeBytes() == null ? Double.NaN : r.cost().sizeBytes(),
            List.of(new Unit("B", 1), new Unit("KiB", 1024), new Unit("MiB", 1024 * 1024))),
    ENERGY("energy", "estimated energy per inference", "est_energy_uj_per_inference",
            r -> r.cost().estEnergyUjPerInference(),
            List.of(new Unit("nJ", 1e-3), new Unit("µJ", 1), new Unit("mJ", 1e3))),
    LATENCY("latency", "latency p50, batch 1", "latency_ms_p50", r -> r.cost().latencyMsP50(),
            List.of(new Unit("µs", 1e-3), new Unit("ms", 1), new Unit("s", 1e3)));

    /**
     * A display unit: values in the column's own unit are divided by {@code size}.
     *
     * @param name the unit's symbol
     * @param size how many of the column's units one of it is
     */
    public record Unit(String name, double size) {
    }

    private final String slug;
    private final String words;
    private final String column;
    private final ToDoubleFunction<ResultRow> value;
    private final List<Unit> units;

    CostAxis(String slug, String words, String column, ToDoubleFunction<ResultRow> value, List<Unit> units) {
        this.slug = slug;
        this.words = words;
        this.column = column;
        this.value = value;
        this.units = units;
    }

    /** The row's cost in the column's own unit (bytes, µJ, ms); NaN where the row has none. */
    public double value(ResultRow r) {
        return value.applyAsDouble(r);
    }

    /** A short name for file names: size, energy, latency. */
    public String slug() {
        return slug;
    }

    /** What the axis shows, in words. */
    public String words() {
        return words;
    }

    /** The words for a title: size on disk, estimated energy, latency. */
    public String shortWords() {
        return switch (this) {
            case SIZE -> "size on disk";
            case ENERGY -> "estimated energy";
            case LATENCY -> "latency";
        };
    }

    /** The results column the cost comes from. */
    public String column() {
        return column;
    }

    /** The largest unit in which {@code typical} is still at least 1 (the smallest unit for tiny values). */
    public Unit unitFor(double typical) {
        Unit chosen = units.getFirst();
        for (Unit u : units) if (typical / u.size() >= 1) chosen = u;
        return chosen;
    }

    /** {@code v} (in the column's unit) as text in a fitting unit, e.g. "1,540 B", "0.31 µs". */
    public String format(double v) {
        if (!Double.isFinite(v)) return "-";
        if (this == SIZE) return Numbers.bytes(v);
        Unit u = unitFor(v);
        return Numbers.significant(v / u.size(), 3) + " " + u.name();
    }
}
