package org.edgeq.cli;

import java.util.Locale;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for every float and double option: a number must be finite, so "NaN", "inf" or "1e400" (which Java
 * would parse to infinity) are refused at parse time, before a command loads data or writes a byte.
 */
final class FiniteNumbers {
    private FiniteNumbers() {
    }

    /** Registers the converters for float, Float, double and Double on {@code cli} and its subcommands. */
    static void register(CommandLine cli) {
        ITypeConverter<Double> doubles = FiniteNumbers::parseDouble;
        ITypeConverter<Float> floats = FiniteNumbers::parseFloat;
        cli.registerConverter(Double.class, doubles);
        cli.registerConverter(double.class, doubles);
        cli.registerConverter(Float.class, floats);
        cli.registerConverter(float.class, floats);
    }

    static double parseDouble(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (t.equals("nan") || t.equals("inf") || t.equals("infinity")) throw new TypeConversionException("'" + text + "' is not a finite number");
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) throw new TypeConversionException("'" + text + "' is not a finite number");
        return v;
    }

    static float parseFloat(String text) {
        double v = parseDouble(text);
        if (Math.abs(v) > Float.MAX_VALUE) throw new TypeConversionException("'" + text + "' is out of range for this option");
        return (float) v;
    }
}
