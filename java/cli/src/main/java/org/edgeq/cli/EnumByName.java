package org.edgeq.cli;

import org.edgeq.data.NearestName;
import picocli.CommandLine.ITypeConverter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Converts a command-line word to an enum constant by its command-line name ({@code toString()}, e.g.
 * "dense-simple"), ignoring case, or by one of its other names where the enum knows some (the reference study's
 * spellings); a wrong word is refused at parse time with exactly the names --help shows and the nearest of them.
 */
final class EnumByName<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;
    private final Function<String, E> otherNames;

    EnumByName(Class<E> type) {
        this(type, name -> {
            throw new IllegalArgumentException(name);
        });
    }

    /** Also accepts what {@code otherNames} resolves (it throws IllegalArgumentException for an unknown word). */
    EnumByName(Class<E> type, Function<String, E> otherNames) {
        this.type = type;
        this.otherNames = otherNames;
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(value.strip())) return e;
        }
        try {
            return otherNames.apply(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw refusal(value, Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
        }
    }

    /** "'WORD' is not one of a, b, c; did you mean b?" (the hint only where one name is near). */
    static OptionValueRefused refusal(String value, List<String> names) {
        return new OptionValueRefused(NearestName.notOneOf(value, names));
    }
}
