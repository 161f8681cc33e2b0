package org.edgeq.cli;

import picocli.CommandLine.TypeConversionException;

/**
 * A value refused at parse time by one of EdgeQ's converters (out of range, or not a known name); its message reads
 * after the option's name ("--epochs 0 is outside 1..100000"), which is how {@link Main} prints it.
 */
final class OptionValueRefused extends TypeConversionException {
    OptionValueRefused(String message) {
        super(message);
    }
}
