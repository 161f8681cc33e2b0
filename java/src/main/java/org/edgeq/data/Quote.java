package org.edgeq.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way messages quote user input (cells, names, header lines, option values): in single quotes, control
 * characters shown as spaces, and cut to about 60 characters with the full length said, so that a 50 MB cell
 * still makes a one-line message.
 */
public final class Quote {
    /** Longest quoted text kept whole. */
    public static final int MAX_CHARS = 60;

    private Quote() {
    }

    /** {@code 'text'}, or {@code 'first 57 characters...' (N characters)} when longer than {@link #MAX_CHARS}. */
    public static String of(String text) {
        if (text == null) return "null";
        return "'" + cut(text) + "'" + (text.length() > MAX_CHARS ? " (" + text.length() + " characters)" : "");
    }

    /**
     * A message from a library (Jackson, Commons CSV) with every single-quoted piece of input in it cut as
     * {@link #of} cuts it, and only its first line.
     */
    public static String inMessage(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        return cutBareTokens(cutQuoted(nl < 0 ? message : message.substring(0, nl)));
    }

    /**
     * Unbroken runs of letters and digits longer than {@link #MAX_CHARS} cut: a library echoes some input bare (Jackson
     * a 120-digit number in parentheses). Only for library messages, whose text holds no path of ours.
     */
    static String cutBareTokens(String message) {
        return LONG_BARE.matcher(message).replaceAll(m -> Matcher.quoteReplacement(
                cut(m.group()) + " (" + m.group().length() + " characters)"));
    }

    private static final Pattern LONG_BARE = Pattern.compile("[\\p{Alnum}.+-]{" + (MAX_CHARS + 1) + ",}");

    /** The message with every single- or double-quoted piece longer than {@link #MAX_CHARS} cut as {@link #of} cuts it. */
    public static String cutQuoted(String message) {
        if (message == null) return "unknown error";
        return LONG_QUOTED.matcher(message).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null
                ? of(m.group(1)) : "\"" + cut(m.group(2)) + "\" (" + m.group(2).length() + " characters)"));
    }

    private static final Pattern LONG_QUOTED = Pattern.compile(
            "'([^']{" + (MAX_CHARS + 1) + ",})'|\"([^\"]{" + (MAX_CHARS + 1) + ",})\"");

    /** The text itself, cut as {@link #of} cuts it, without quotes. */
    public static String cut(String text) {
        if (text == null) return "null";
        String s = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS - 3) + "..." : text;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }
}
