package org.edgeq.cli;

import org.edgeq.quant.QuantMethod;
import picocli.CommandLine.ITypeConverter;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

/** One word of a --method list: a weight quantization method, or {@code all} of them. */
record MethodChoice(List<QuantMethod> methods) {

    /** The methods a list of words names, each once, in the order first named. */
    static Collection<QuantMethod> union(List<MethodChoice> words) {
        LinkedHashSet<QuantMethod> methods = new LinkedHashSet<>();
        for (MethodChoice w : words) methods.addAll(w.methods);
        return methods;
    }

    /** Reads a method by any of its names (the reference study's included), or 'all'. */
    static final class ByName implements ITypeConverter<MethodChoice> {
        private final EnumByName<QuantMethod> method = new EnumByName<>(QuantMethod.class, QuantMethod::fromCliName);

        @Override
        public MethodChoice convert(String value) {
            if (value.strip().equalsIgnoreCase("all")) return new MethodChoice(List.of(QuantMethod.values()));
            try {
                return new MethodChoice(List.of(method.convert(value)));
            } catch (OptionValueRefused unknown) {
                throw EnumByName.refusal(value, Stream.concat(Stream.of(QuantMethod.values()).map(QuantMethod::cliName), Stream.of("all")).toList());
            }
        }
    }
}
