package org.edgeq.study;

import java.util.Locale;

/** When pruning removes the weights: all at once, or gradually over fine-tuning (Zhu & Gupta). */
public enum PruneSchedule {
    ONESHOT, GRADUAL;

    /** The schedule named {@code name} (its command-line name), or an exception listing them. */
    public static PruneSchedule fromCliName(String name) {
        for (PruneSchedule s : values()) if (s.toString().equals(name)) return s;
        throw new IllegalArgumentException("unknown pruning schedule '" + name + "' (expected one of: oneshot, gradual)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
