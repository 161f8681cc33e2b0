package org.edgeq.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Collects the points of one plot into curves, one per source, seed and "what" (a set, a pruning method, a family),
 * and names them for the legend: "EdgeQ: histogram", "seed: histogram"; a seed number or the file's name is added
 * only where two curves would otherwise share a name. Legend order puts the seed's curve right after EdgeQ's of the
 * same colour, so the two read as a pair.
 */
final class CurveSet {
    private record Key(ReportSource source, Long seed, String what, int colour) {
    }

    private static final class Points {
        final List<double[]> xy = new ArrayList<>();
    }

    private final Map<Key, Points> curves = new LinkedHashMap<>();

    /** Adds one point of {@code r} to the curve of its source and seed named {@code what} (may be empty). */
    void add(SourcedRow r, String what, int colour, double x, double y) {
        Key k = new Key(r.source(), r.row().subject().seed(), what == null ? "" : what, colour);
        curves.computeIfAbsent(k, key -> new Points()).xy.add(new double[]{x, y});
    }

    boolean isEmpty() {
        return curves.isEmpty();
    }

    /** The smallest and largest x of all points, {NaN, NaN} when there are none. */
    double[] xRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Points p : curves.values()) {
            for (double[] xy : p.xy) {
                lo = Math.min(lo, xy[0]);
                hi = Math.max(hi, xy[0]);
            }
        }
        return lo <= hi ? new double[]{lo, hi} : new double[]{Double.NaN, Double.NaN};
    }

    /** The curves drawn in {@code style}; LINE curves have their points in x order. */
    List<ChartSpec.Curve> build(ChartSpec.Style style) {
        List<Key> keys = new ArrayList<>(curves.keySet());
        Map<Key, String> names = names(keys);
        Map<Key, Integer> firstSeen = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) firstSeen.put(keys.get(i), i);
        keys.sort(Comparator.<Key>comparingInt(k -> k.colour).thenComparing(k -> k.what)
                .thenComparing(k -> k.source.origin().equals(ReportSource.SEED)).thenComparingInt(firstSeen::get));
        List<ChartSpec.Curve> out = new ArrayList<>();
        for (Key k : keys) {
            List<double[]> xy = new ArrayList<>(curves.get(k).xy);
            if (style == ChartSpec.Style.LINE) xy.sort(Comparator.comparingDouble(p -> p[0]));
            double[] x = xy.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = xy.stream().mapToDouble(p -> p[1]).toArray();
            out.add(new ChartSpec.Curve(names.get(k), x, y, style, k.colour, k.source.origin().equals(ReportSource.SEED)));
        }
        return out;
    }

    private static Map<Key, String> names(List<Key> keys) {
        Map<Key, String> names = new LinkedHashMap<>();
        for (Key k : keys) names.put(k, k.source.origin() + (k.what.isEmpty() ? "" : ": " + k.what));
        // Curves of one origin and what from several seeds or files: say which.
        disambiguate(names, k -> k.seed == null ? null : "seed " + k.seed);
        disambiguate(names, k -> k.source.name());
        disambiguate(names, k -> "#" + (keys.indexOf(k) + 1));
        return names;
    }

    private static void disambiguate(Map<Key, String> names, Function<Key, String> extra) {
        Map<String, List<Key>> byName = new LinkedHashMap<>();
        names.forEach((k, n) -> byName.computeIfAbsent(n, x -> new ArrayList<>()).add(k));
        for (List<Key> same : byName.values()) {
            if (same.size() < 2) continue;
            long distinct = same.stream().map(extra).filter(Objects::nonNull).distinct().count();
            if (distinct < 2) continue;
            for (Key k : same) {
                String e = extra.apply(k);
                if (e != null) names.put(k, names.get(k) + " (" + e + ")");
            }
        }
    }
}
