package org.edgeq.data;

/** Strict parsing of numeric text cells: finite decimal numbers only, none of Java's extra spellings. */
final class Numbers {
    private Numbers() {
    }

    /**
     * The cell as a finite float, or NaN when it is not a plain decimal number. {@link Float#parseFloat} alone
     * would also accept "NaN", "Infinity", hex floats and a trailing 'f' or 'd', none of which belong in a data
     * file.
     */
    static float parseOrNaN(String cell) {
        String s = cell.strip();
        if (s.isEmpty()) return Float.NaN;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) return Float.NaN;
        }
        try {
            float v = Float.parseFloat(s);
            return Float.isFinite(v) ? v : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    static boolean isNumber(String cell) {
        return !Float.isNaN(parseOrNaN(cell));
    }
}
