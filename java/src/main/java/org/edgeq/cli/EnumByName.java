package org.edgeq.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Converts a command-line word to an enum constant by its command-line name ({@code toString()}, e.g.
 * "dense-simple"), ignoring case; a wrong word gets a message listing exactly the names --help shows.
 */
final class EnumByName<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    EnumByName(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(value)) return e;
        }
        throw new TypeConversionException("'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(Object::toString).collect(Collectors.joining(", ")).toLowerCase(Locale.ROOT));
    }
}
