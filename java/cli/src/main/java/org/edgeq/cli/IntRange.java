package org.edgeq.cli;

/**
 * An inclusive range of whole numbers an option accepts, with the one message that refuses a value outside it;
 * {@link Ranges} names every range the command line uses.
 *
 * @param note what a value means at the edge (e.g. "0 = all"), shown with the refusal; empty for none
 */
record IntRange(int min, int max, String note) {

    /** A range with nothing to add about its ends. */
    IntRange(int min, int max) {
        this(min, max, "");
    }

    /** Why {@code value} is refused ("0 is outside 1..100000"), or null when it lies in the range. */
    String refusal(long value) {
        if (value >= min && value <= max) return null;
        String bounds = max == Integer.MAX_VALUE ? "is below " + min : "is outside " + min + ".." + max;
        return value + " " + bounds + (note.isEmpty() ? "" : " (" + note + ")");
    }

    /** {@code value}, or bad usage "OPTION VALUE is outside MIN..MAX": for a range that depends on other options. */
    int check(String option, int value) {
        String why = refusal(value);
        if (why != null) throw new UsageException(option + " " + why);
        return value;
    }

    /** {@code text} as a whole number in this range, or the refusal at parse time. */
    int parse(String text) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new OptionValueRefused("'" + text + "' is not a whole number");
        }
        String why = refusal(value);
        if (why != null) throw new OptionValueRefused(why);
        return (int) value;
    }
}
