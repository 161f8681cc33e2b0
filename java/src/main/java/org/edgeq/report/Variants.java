package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the report names a variant and sorts it into curves and families: "rounding · histogram · 4-bit",
 * "prune-oneshot · seed · 90%", "qat-lsq · W4A8". One place, so the plots, tables and notes say the same.
 */
final class Variants {
    private Variants() {
    }

    /** The broad kind of a variant, one scatter series per kind in the cost plots. */
    enum Family {
        QUANTIZED("quantized (PTQ)", 0), INTEGER("integer-only (hwsim)", 1), QAT("QAT", 2), PRUNED("pruned", 3), PRUNED_QUANTIZED("pruned + quantized", 4),
        DISTILLED("distilled", 5), OTHER("other", 9), FP32("FP32", 7);

        final String words;
        /** The palette index of the family's points: far apart for the common families, FP32 drawn last (on top). */
        final int colour;

        Family(String words, int colour) {
            this.words = words;
            this.colour = colour;
        }
    }

    static Family family(ResultRow r) {
        String m = r.recipe().method();
        if (m == null) return Family.OTHER;
        if (m.equals(ResultRow.FP32)) return Family.FP32;
        if (m.equals(ResultRow.HWSIM_INT)) return Family.INTEGER;
        if (m.startsWith("distill")) return Family.DISTILLED;
        if (m.startsWith("qat-")) return Family.QAT;
        if (m.startsWith("prune")) return m.contains("+") ? Family.PRUNED_QUANTIZED : Family.PRUNED;
        return isQuantized(r) ? Family.QUANTIZED : Family.OTHER;
    }

    /** Whether weights are narrower than 32 bits. */
    static boolean isQuantized(ResultRow r) {
        Integer w = r.recipe().wBits();
        return w != null && w < 32;
    }

    /** Whether the row is a pruning row (it has a requested pruning ratio). */
    static boolean isPruned(ResultRow r) {
        return r.recipe().pruneRatio() != null;
    }

    /** The landmark set as the curves name it; mid-rise without a set uses its full range (the seed's full_range). */
    static String set(ResultRow.Recipe recipe) {
        if (recipe.set() != null) return recipe.set();
        String m = recipe.method();
        return m != null && m.endsWith("mid-rise") ? "full range" : null;
    }

    /** The granularity where it is not the default (per-tensor), else null. */
    static String granularity(ResultRow.Recipe recipe) {
        String g = recipe.granularity();
        return g == null || g.equals("per-tensor") ? null : g;
    }

    /** The widths as a short tag: "4-bit", "W4A8", or null at full precision. */
    static String widths(ResultRow.Recipe recipe) {
        Integer w = recipe.wBits();
        Integer a = recipe.aBits();
        if (a != null) return "W" + (w == null ? 32 : w) + "A" + a;
        if (w != null && w < 32) return w + "-bit";
        return null;
    }

    /** A variant's full name, e.g. "rounding · histogram · 4-bit" or "prune-gradual · global · 90% · 4-bit". */
    static String label(ResultRow r) {
        ResultRow.Recipe recipe = r.recipe();
        if (r.isBaseline()) return "FP32";
        List<String> parts = new ArrayList<>();
        parts.add(recipe.method() == null ? "?" : recipe.method());
        String set = set(recipe);
        if (set != null) parts.add(set);
        String granularity = granularity(recipe);
        if (granularity != null) parts.add(granularity);
        if (recipe.pruneRatio() != null) {
            if (recipe.pruneScope() != null) parts.add(recipe.pruneScope());
            parts.add(percent(recipe.pruneRatio()));
        }
        String widths = widths(recipe);
        if (widths != null) parts.add(widths);
        return String.join(" · ", parts);
    }

    /** A ratio as a percentage without needless decimals: 0.9 -> "90%", 0.975 -> "97.5%". */
    static String percent(double ratio) {
        double p = ratio * 100;
        if (Math.abs(p - Math.rint(p)) < 1e-9) return String.format(Locale.ROOT, "%.0f%%", p);
        return String.format(Locale.ROOT, "%.1f%%", p);
    }
}
