package org.edgeq.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A study's settings as they were given, before any checking: each key's values as text, each with where it was
 * written (a study file and line, or the command line), so that a bad value is reported where the user wrote it.
 */
public record StudySettings(Map<StudyKey, Setting> byKey) {

    public StudySettings {
        EnumMap<StudyKey, Setting> m = new EnumMap<>(StudyKey.class);
        m.putAll(byKey);
        byKey = Collections.unmodifiableMap(m);
    }

    /**
     * One key's values as given.
     *
     * @param file   the study file it was written in, null for a command-line flag
     * @param line   the key's line in the file (1-based; 0 for a flag)
     * @param values the values in order, as text (a list item may still hold several comma-separated values)
     */
    public record Setting(StudyKey key, Path file, int line, List<Value> values) {
        public Setting {
            values = List.copyOf(values);
        }

        /** The setting as the user wrote its name: {@code bits} in a study file, {@code --bits} on the command line. */
        public String name() {
            return file == null ? "--" + key.key() : key.key();
        }

        /**
         * The error for {@code reason} (which names the setting itself): {@code FILE:LINE: reason} at {@code value}'s
         * line (null: the key's line) for a study file (exit 2, printed as it is), the reason alone for a flag
         * (exit 2 with the usage hint).
         */
        public RuntimeException error(Value value, String reason) {
            if (file == null) return new BadUsageException(reason);
            return new BadInputException(file + ":" + (value == null || value.line() == 0 ? line : value.line()) + ": " + reason);
        }
    }

    /** One value as written, with its line (1-based; 0 on the command line). */
    public record Value(String text, int line) {
    }

    /** No settings: every key takes its default (the default study). */
    public static StudySettings none() {
        return new StudySettings(Map.of());
    }

    /** Settings from command-line flags: each given flag's values in order (null or absent: not given). */
    public static StudySettings ofFlags(Map<StudyKey, List<String>> flags) {
        EnumMap<StudyKey, Setting> m = new EnumMap<>(StudyKey.class);
        flags.forEach((k, texts) -> {
            if (texts == null) return;
            List<Value> vs = new ArrayList<>();
            for (String t : texts) vs.add(new Value(t, 0));
            m.put(k, new Setting(k, null, 0, vs));
        });
        return new StudySettings(m);
    }

    /** The setting of {@code key}, or null where it was not given. */
    public Setting get(StudyKey key) {
        return byKey.get(key);
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** These settings with each key that {@code over} gives replaced by its value there (flags over a study file). */
    public StudySettings overriddenBy(StudySettings over) {
        EnumMap<StudyKey, Setting> m = new EnumMap<>(StudyKey.class);
        m.putAll(byKey);
        m.putAll(over.byKey);
        return new StudySettings(m);
    }
}
