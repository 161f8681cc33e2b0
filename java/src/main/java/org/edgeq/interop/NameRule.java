package org.edgeq.interop;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --map} rule, {@code EDGEQ=FILE}: the EdgeQ tensor named by the left template is read from the file's
 * tensor named by the right one. A template is a tensor name in which {@code {i}} (any name in braces) stands for one
 * dotted component, the same on both sides: {@code net.{i}.weight=layers.{i}.w}.
 *
 * @param edgeq the EdgeQ side, e.g. {@code net.{i}.weight}
 * @param file  the file side, e.g. {@code layers.{i}.w}
 */
public record NameRule(String edgeq, String file) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    public NameRule {
        List<String> left = placeholders(edgeq);
        List<String> right = placeholders(file);
        if (left.isEmpty() && edgeq.isEmpty() || file.isEmpty()) throw new IllegalArgumentException("--map rule '" + edgeq + "=" + file + "' needs a name on each side of '='");
        if (!new HashSet<>(left).equals(new HashSet<>(right))) {
            throw new IllegalArgumentException("--map rule '" + edgeq + "=" + file + "' uses placeholders " + left + " on the left but "
                    + right + " on the right; both sides need the same ones");
        }
        if (left.size() != new HashSet<>(left).size()) {
            throw new IllegalArgumentException("--map rule '" + edgeq + "=" + file + "' repeats a placeholder on the left");
        }
    }

    /** Parses {@code EDGEQ=FILE}. */
    public static NameRule parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0 || text.indexOf('=', eq + 1) >= 0) {
            throw new IllegalArgumentException("--map rule '" + text + "' is not EDGEQ_NAME=FILE_NAME (e.g. net.{i}.weight=layers.{i}.w)");
        }
        return new NameRule(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
    }

    /** The file's tensor name for EdgeQ's {@code name}, when the left template matches it. */
    public Optional<String> fileNameFor(String name) {
        Matcher m = regex(edgeq).matcher(name);
        if (!m.matches()) return Optional.empty();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> names = placeholders(edgeq);
        for (int i = 0; i < names.size(); i++) values.put(names.get(i), m.group(i + 1));
        Matcher p = PLACEHOLDER.matcher(file);
        StringBuilder out = new StringBuilder();
        while (p.find()) p.appendReplacement(out, Matcher.quoteReplacement(values.get(p.group(1))));
        p.appendTail(out);
        return Optional.of(out.toString());
    }

    @Override
    public String toString() {
        return edgeq + "=" + file;
    }

    private static List<String> placeholders(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static Pattern regex(String template) {
        StringBuilder re = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(template.substring(last, m.start()))).append("([^.]+)");
            last = m.end();
        }
        re.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(re.toString());
    }
}
