package org.edgeq.cli;

import java.math.BigDecimal;

/**
 * An interval of finite numbers an option accepts, each end open or closed, with the one message that refuses a value
 * outside it; {@link Ranges} names every interval the command line uses.
 *
 * @param max the upper end; {@link Double#POSITIVE_INFINITY} for none
 */
record DecimalRange(double min, boolean minIncluded, double max, boolean maxIncluded) {

    /** Numbers above {@code min} ("> 0"), or from it on ("&gt;= 0"). */
    static DecimalRange from(double min, boolean included) {
        return new DecimalRange(min, included, Double.POSITIVE_INFINITY, false);
    }

    boolean contains(double v) {
        return (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
    }

    /** The interval as the messages write it: "[0, 1)", "(0, 1000]", "> 0". */
    String describe() {
        if (max == Double.POSITIVE_INFINITY) return (minIncluded ? ">= " : "> ") + plain(min);
        return (minIncluded ? "[" : "(") + plain(min) + ", " + plain(max) + (maxIncluded ? "]" : ")");
    }

    /** {@code text} as a finite double in this interval, or the refusal at parse time. */
    double parse(String text) {
        double v = FiniteNumbers.parseDouble(text);
        if (!contains(v)) throw refusal(Double.toString(v));
        return v;
    }

    /** {@code text} as a finite float in this interval (rounded as every float option is), or the refusal. */
    float parseFloat(String text) {
        float v = FiniteNumbers.parseFloat(text);
        if (!contains(v)) throw refusal(Float.toString(v));
        return v;
    }

    private OptionValueRefused refusal(String value) {
        return new OptionValueRefused(value + (max == Double.POSITIVE_INFINITY ? " is not " : " is outside ") + describe());
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
