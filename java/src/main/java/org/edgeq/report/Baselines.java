package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the FP32 baseline a variant is measured against: a row of method fp32 for the same dataset, model and seed
 * in the same source, the last one before the variant (each EdgeQ command writes its baseline first, and two
 * commands may append to one file), else the first after it. A seed table has no fp32 row; there the unmodified
 * model stands in (full width, nothing pruned: the pruning table's 0% row), and {@link Match#standIn()} says so.
 */
final class Baselines {
    private final List<SourcedRow> rows;

    /**
     * A baseline found for a row.
     *
     * @param baseline the FP32 (or unmodified) row
     * @param standIn  true when it is not an fp32 row but the unmodified model of a table that has none
     */
    record Match(SourcedRow baseline, boolean standIn) {
    }

    Baselines(List<SourcedRow> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The baseline of {@code r}, or empty when its source has none for the same dataset, model and seed. */
    Optional<Match> of(SourcedRow r) {
        List<SourcedRow> fp32 = new ArrayList<>();
        List<SourcedRow> unmodified = new ArrayList<>();
        for (SourcedRow o : rows) {
            if (!o.sameRun(r)) continue;
            if (o.row().isBaseline()) fp32.add(o);
            else if (unmodified(o.row())) unmodified.add(o);
        }
        if (!fp32.isEmpty()) return Optional.of(new Match(nearest(fp32, r.index()), false));
        if (!unmodified.isEmpty()) return Optional.of(new Match(nearest(unmodified, r.index()), true));
        return Optional.empty();
    }

    /** Full-width weights and activations, nothing pruned, not fine-tuned or distilled. */
    static boolean unmodified(ResultRow r) {
        ResultRow.Recipe recipe = r.recipe();
        String m = recipe.method();
        if (m == null || m.startsWith("qat") || m.startsWith("distill") || m.contains("+")) return false;
        boolean fullWidth = recipe.wBits() == null || recipe.wBits() >= 32;
        boolean unpruned = recipe.pruneRatio() == null || recipe.pruneRatio() == 0;
        return fullWidth && recipe.aBits() == null && unpruned;
    }

    private static SourcedRow nearest(List<SourcedRow> candidates, int index) {
        SourcedRow before = null;
        for (SourcedRow c : candidates) if (c.index() <= index) before = c;
        return before != null ? before : candidates.getFirst();
    }
}
