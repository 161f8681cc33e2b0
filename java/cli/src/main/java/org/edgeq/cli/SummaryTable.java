package org.edgeq.cli;

import org.edgeq.study.ResultRow;
import org.edgeq.study.StudyCell;
import org.edgeq.study.StudyPlan;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table a study prints at its end: a header, then one line per row in plan order with what a person compares first. */
final class SummaryTable {
    private SummaryTable() {
    }

    /** Prints {@code rows} (those of the plan's cells in plan order, then any others) under a header. */
    static void print(PrintWriter out, StudyPlan plan, List<ResultRow> rows) {
        Map<String, StudyCell> cells = plan.byId();
        int width = Math.max(4, rows.stream().mapToInt(r -> label(r, cells).length()).max().orElse(4));
        out.printf(Locale.ROOT, "%-" + width + "s  %-8s  %8s  %5s  %10s  %12s%n", "cell", "metric", "value", "bits", "size_B", "est_uJ/inf");
        rows.stream()
                .sorted(Comparator.comparingInt(r -> {
                    StudyCell c = cells.get(r.provenance().cellId());
                    return c == null ? Integer.MAX_VALUE : c.index();
                }))
                .forEach(r -> {
                    boolean classification = !Double.isNaN(r.quality().testAcc());
                    String bits = r.recipe().wBits() == null ? "-" : r.recipe().aBits() == null ? Integer.toString(r.recipe().wBits())
                            : "w" + r.recipe().wBits() + "a" + r.recipe().aBits();
                    out.printf(Locale.ROOT, "%-" + width + "s  %-8s  %8.4f  %5s  %10s  %12.4g%n", label(r, cells),
                            classification ? "test_acc" : "r2", classification ? r.quality().testAcc() : r.quality().testR2(), bits,
                            r.cost().sizeBytes() == null ? "-" : r.cost().sizeBytes().toString(), r.cost().estEnergyUjPerInference());
                });
        out.flush();
    }

    /** The cell's label, plus the row's method where a cell makes several rows (prune then quantize). */
    private static String label(ResultRow r, Map<String, StudyCell> cells) {
        StudyCell c = cells.get(r.provenance().cellId());
        if (c == null) return r.subject().dataset() + "/" + r.subject().model() + " " + r.recipe().method();
        return c.rows() > 1 ? c.label() + " [" + r.recipe().method() + " " + r.recipe().wBits() + "b]" : c.label();
    }
}
