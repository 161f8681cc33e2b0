package org.edgeq.energy;

/**
 * Whether a source of energy figures can be used here: the thing itself, or one line saying why not (naming the
 * file, library or call that stopped it), so a fallback can say what it falls back from.
 */
public sealed interface Availability<T> {

    /** Usable: {@code value} is ready to measure with. */
    record Available<T>(T value) implements Availability<T> {
    }

    /** Not usable here, for {@code reason}. */
    record Unavailable<T>(String reason) implements Availability<T> {
    }

    static <T> Availability<T> available(T value) {
        return new Available<>(value);
    }

    static <T> Availability<T> unavailable(String reason) {
        return new Unavailable<>(reason);
    }
}
