package org.edgeq.study;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The columns of results schema v2, in header order: each column's name, the type of its cells, where its value
 * lives in a {@link ResultRow} and how a read cell goes back into one. The one table that the CSV writer, the JSON
 * rows and the reader share, so that a later column (latency p99, throughput, a cell id) is one more constant here
 * and one more field in the row. The seed's quant_method, bin_method and precision are derived from the recipe
 * ({@link SeedNames}), so reading skips them. The measurement columns (latency_ms_p99, throughput_per_s, peak_bytes,
 * macs, bops, energy_j_per_sample, seconds, est_energy_uj_per_inference) joined v2 later, then cell_id (the study
 * cell a row belongs to, empty for the plain commands' rows); files written before them are still read, with those
 * cells empty.
 */
public enum ResultColumn {
    DATASET("dataset", Type.TEXT, r -> r.subject().dataset(), (b, v) -> b.dataset(text(v))),
    MODEL("model", Type.TEXT, r -> r.subject().model(), (b, v) -> b.model(text(v))),
    SEED("seed", Type.INTEGER, r -> r.subject().seed(), (b, v) -> b.seed((Long) v)),
    METHOD("method", Type.TEXT, r -> r.recipe().method(), (b, v) -> b.method(text(v))),
    SET("set", Type.TEXT, r -> r.recipe().set(), (b, v) -> b.set(text(v))),
    GRANULARITY("granularity", Type.TEXT, r -> r.recipe().granularity(), (b, v) -> b.granularity(text(v))),
    OBSERVER("observer", Type.TEXT, r -> r.recipe().observer(), (b, v) -> b.observer(text(v))),
    W_BITS("w_bits", Type.INTEGER, r -> r.recipe().wBits(), (b, v) -> b.wBits(bits(v))),
    A_BITS("a_bits", Type.INTEGER, r -> r.recipe().aBits(), (b, v) -> b.aBits(bits(v))),
    PRUNE_SCOPE("prune_scope", Type.TEXT, r -> r.recipe().pruneScope(), (b, v) -> b.pruneScope(text(v))),
    PRUNE_RATIO("prune_ratio", Type.REAL, r -> r.recipe().pruneRatio(), (b, v) -> b.pruneRatio((Double) v)),
    SPARSITY("sparsity", Type.REAL, r -> r.cost().sparsity(), (b, v) -> b.sparsity(real(v))),
    TRAIN_LOSS("train_loss", Type.REAL, r -> r.quality().trainLoss(), (b, v) -> b.trainLoss(real(v))),
    TRAIN_ACC("train_acc", Type.REAL, r -> r.quality().trainAcc(), (b, v) -> b.trainAcc(real(v))),
    TEST_LOSS("test_loss", Type.REAL, r -> r.quality().testLoss(), (b, v) -> b.testLoss(real(v))),
    TEST_ACC("test_acc", Type.REAL, r -> r.quality().testAcc(), (b, v) -> b.testAcc(real(v))),
    TEST_MSE("test_mse", Type.REAL, r -> r.quality().testMse(), (b, v) -> b.testMse(real(v))),
    TEST_R2("test_r2", Type.REAL, r -> r.quality().testR2(), (b, v) -> b.testR2(real(v))),
    SIZE_BYTES("size_bytes", Type.INTEGER, r -> r.cost().sizeBytes(), (b, v) -> b.sizeBytes((Long) v)),
    LATENCY_MS_P50("latency_ms_p50", Type.REAL, r -> r.cost().latencyMsP50(), (b, v) -> b.latencyMsP50(real(v))),
    LATENCY_MS_P99("latency_ms_p99", Type.REAL, r -> r.cost().latencyMsP99(), (b, v) -> b.latencyMsP99(real(v)), true),
    THROUGHPUT_PER_S("throughput_per_s", Type.REAL, r -> r.cost().throughputPerS(), (b, v) -> b.throughputPerS(real(v)), true),
    PEAK_BYTES("peak_bytes", Type.INTEGER, r -> r.cost().peakBytes(), (b, v) -> b.peakBytes((Long) v), true),
    MACS("macs", Type.INTEGER, r -> r.cost().macs(), (b, v) -> b.macs((Long) v), true),
    BOPS("bops", Type.INTEGER, r -> r.cost().bops(), (b, v) -> b.bops((Long) v), true),
    ENERGY_J("energy_j", Type.REAL, r -> r.cost().energyJ(), (b, v) -> b.energyJ(real(v))),
    ENERGY_SOURCE("energy_source", Type.TEXT, r -> r.cost().energySource(), (b, v) -> b.energySource(text(v))),
    ENERGY_J_PER_SAMPLE("energy_j_per_sample", Type.REAL, r -> r.cost().energyJPerSample(), (b, v) -> b.energyJPerSample(real(v)), true),
    SECONDS("seconds", Type.REAL, r -> r.cost().seconds(), (b, v) -> b.seconds(real(v)), true),
    EST_ENERGY_UJ_PER_INFERENCE("est_energy_uj_per_inference", Type.REAL, r -> r.cost().estEnergyUjPerInference(),
            (b, v) -> b.estEnergyUjPerInference(real(v)), true),
    EXPORT_PATH("export_path", Type.TEXT, r -> r.provenance().exportPath(), (b, v) -> b.exportPath(text(v))),
    EDGEQ_VERSION("edgeq_version", Type.TEXT, r -> r.provenance().edgeqVersion(), (b, v) -> b.edgeqVersion(text(v))),
    CELL_ID("cell_id", Type.TEXT, r -> r.provenance().cellId(), (b, v) -> b.cellId(text(v)), true),
    QUANT_METHOD("quant_method", Type.TEXT, r -> SeedNames.quantMethod(r.recipe()), null),
    BIN_METHOD("bin_method", Type.TEXT, r -> SeedNames.binMethod(r.recipe()), null),
    PRECISION("precision", Type.INTEGER, r -> r.recipe().wBits(), null);

    /** What a column's cells hold: text, a whole number or a real number. */
    public enum Type { TEXT, INTEGER, REAL }

    private static final List<String> NAMES = Arrays.stream(values()).map(c -> c.name).toList();

    private final String name;
    private final Type type;
    private final Function<ResultRow, Object> getter;
    private final BiConsumer<ResultRow.Builder, Object> setter;
    private final boolean optionalOnRead;

    ResultColumn(String name, Type type, Function<ResultRow, Object> getter, BiConsumer<ResultRow.Builder, Object> setter) {
        this(name, type, getter, setter, false);
    }

    ResultColumn(String name, Type type, Function<ResultRow, Object> getter, BiConsumer<ResultRow.Builder, Object> setter,
                 boolean optionalOnRead) {
        this.name = name;
        this.type = type;
        this.getter = getter;
        this.setter = setter;
        this.optionalOnRead = optionalOnRead;
    }

    /** The header names in order. */
    static List<String> names() {
        return NAMES;
    }

    /** The column with this header name, or an exception listing them. */
    public static ResultColumn named(String name) {
        for (ResultColumn c : values()) if (c.name.equals(name)) return c;
        throw new IllegalArgumentException("no results column '" + name + "' (columns: " + String.join(", ", NAMES) + ")");
    }

    public String columnName() {
        return name;
    }

    public Type type() {
        return type;
    }

    /**
     * Whether a file may lack the column and still be read (its cells then empty): the measurement columns added to
     * v2 after its first release (latency_ms_p99 ... est_energy_uj_per_inference) and cell_id, absent from files
     * written before.
     */
    public boolean optionalOnRead() {
        return optionalOnRead;
    }

    /** Whether the column is computed from others (the seed's names) rather than read back. */
    public boolean derived() {
        return setter == null;
    }

    /** The row's value: a String, Long or Double, or null for an empty cell (NaN and "" included). */
    public Object value(ResultRow row) {
        Object v = getter.apply(row);
        return switch (v) {
            case null -> null;
            case String s -> s.isEmpty() ? null : s;
            case Integer i -> (long) i;
            case Double d -> Double.isFinite(d) ? d : null;
            default -> v;
        };
    }

    /** The row's cell as CSV text; empty where the value is null. */
    public String cell(ResultRow row) {
        Object v = value(row);
        if (v == null) return "";
        if (v instanceof Double d) return CsvNumbers.format(d);
        return v.toString();
    }

    /**
     * Sets this column's value in {@code b} from its CSV text; derived columns are ignored. Throws
     * IllegalArgumentException saying why a cell is not of the column's type.
     */
    public void read(String cell, ResultRow.Builder b) {
        if (setter == null) return;
        setter.accept(b, parse(cell));
    }

    /** The CSV text as this column's type: null for an empty cell, else a String, Long or Double. */
    public Object parse(String cell) {
        String s = cell == null ? "" : cell.strip();
        if (s.isEmpty()) return null;
        return switch (type) {
            case TEXT -> cell;
            case INTEGER -> {
                try {
                    yield Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("column " + name + ": '" + s + "' is not a whole number");
                }
            }
            case REAL -> CsvNumbers.parse(name, s);
        };
    }

    private static String text(Object v) {
        return (String) v;
    }

    private static double real(Object v) {
        return v == null ? Double.NaN : (Double) v;
    }

    private static Integer bits(Object v) {
        if (v == null) return null;
        long b = (Long) v;
        if (b < 0 || b > 64) throw new IllegalArgumentException("a bit width must be 0..64, got " + b);
        return (int) b;
    }

    @Override
    public String toString() {
        return name;
    }
}
