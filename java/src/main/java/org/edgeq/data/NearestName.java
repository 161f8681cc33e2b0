package org.edgeq.data;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The "did you mean" of a refused name: the allowed name nearest to what was typed by edit distance, when it is near
 * enough to be a typo rather than a different word.
 */
public final class NearestName {
    private NearestName() {
    }

    /**
     * "; did you mean NAME?" for the nearest of {@code names} to {@code typed}, or "" when none is near. The name is
     * not quoted: a message quotes the typed word, and two quoted pieces would read as one to {@link Quote#cutQuoted}.
     */
    public static String hint(String typed, Collection<String> names) {
        String t = typed.strip().toLowerCase(Locale.ROOT);
        // A third of the word may be wrong (two letters at least): "rondin" still finds rounding, "xyz" finds nothing.
        int allowed = Math.max(2, t.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(t, name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= allowed ? "; did you mean " + best + "?" : "";
    }

    /**
     * "'WORD' is not one of a, b, c; did you mean b?": the refusal of a word that is none of {@code names}, which it
     * lists in lower case (the hint only where one of them is near).
     */
    public static String notOneOf(String typed, Collection<String> names) {
        List<String> shown = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return "'" + typed + "' is not one of " + String.join(", ", shown) + hint(typed, shown);
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
