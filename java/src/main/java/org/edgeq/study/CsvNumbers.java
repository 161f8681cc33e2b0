package org.edgeq.study;

/** Real numbers in results files: written as the shortest text that reads back to the same double, read strictly. */
final class CsvNumbers {
    private CsvNumbers() {
    }

    /**
     * The shortest decimal that parses back to {@code v} (whole numbers without ".0", exponents as in "1e-5");
     * empty for NaN and infinities, which results files leave empty.
     */
    static String format(double v) {
        if (!Double.isFinite(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return mantissa + "e" + s.substring(e + 1);
    }

    /**
     * A cell as a double: a plain decimal number with an optional exponent, or nan (as pandas may write it) for
     * NaN. Throws IllegalArgumentException naming the column for anything else, e.g. Java's "Infinity" or "1f".
     */
    static double parse(String column, String cell) {
        String s = cell.strip();
        if (s.equalsIgnoreCase("nan")) return Double.NaN;
        boolean anyDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            anyDigit |= c >= '0' && c <= '9';
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return notANumber(column, s);
        }
        if (!anyDigit) return notANumber(column, s);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return notANumber(column, s);
        }
    }

    private static double notANumber(String column, String cell) {
        throw new IllegalArgumentException("column " + column + ": " + ResultsCsv.quoted(cell) + " is not a number");
    }
}
