package org.edgeq.report;

import java.util.Locale;

/** Number formatting shared by the report's tables and captions: fixed locale, readable magnitudes. */
final class Numbers {
    private Numbers() {
    }

    /** {@code v} with {@code digits} significant digits, without an exponent for everyday magnitudes. */
    static String significant(double v, int digits) {
        if (!Double.isFinite(v)) return "-";
        if (v == 0) return "0";
        double abs = Math.abs(v);
        if (abs >= 1e7 || abs < 1e-4) return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        int intDigits = (int) Math.floor(Math.log10(abs)) + 1;
        int decimals = Math.max(0, digits - intDigits);
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** A signed number of points, e.g. "-0.35 pt" or "+0.10 pt". */
    static String points(double p) {
        if (!Double.isFinite(p)) return "-";
        if (Math.abs(p) < 0.005) p = 0; // no "-0.00"
        return String.format(Locale.ROOT, "%+.2f pt", p);
    }

    /** Bytes in B, KiB or MiB, whichever reads best. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) return "-";
        if (b < 10 * 1024) return String.format(Locale.ROOT, "%,.0f B", b);
        if (b < 10 * 1024 * 1024) return String.format(Locale.ROOT, "%,.1f KiB", b / 1024);
        return String.format(Locale.ROOT, "%,.2f MiB", b / (1024 * 1024));
    }
}
