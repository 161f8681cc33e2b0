package org.edgeq.cli;

import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;
import picocli.CommandLine;

/**
 * The converters of the quantization choices (--method, --set, --observer): each accepts the command-line names
 * and the reference study's spellings its enum knows, and refuses any other word at parse time with the nearest name.
 */
final class QuantChoices {
    static final EnumByName<QuantMethod> METHOD = new EnumByName<>(QuantMethod.class, QuantMethod::fromCliName);
    static final EnumByName<LandmarkSetKind> SET = new EnumByName<>(LandmarkSetKind.class, LandmarkSetKind::fromCliName);
    /** "ema" is the usual short name of the moving average. */
    static final EnumByName<ObserverKind> OBSERVER = new EnumByName<>(ObserverKind.class,
            name -> name.equals("ema") ? ObserverKind.MOVING_AVERAGE : ObserverKind.fromCliName(name));

    private QuantChoices() {
    }

    /** Registers the converters on {@code cli} and its subcommands. */
    static void register(CommandLine cli) {
        cli.registerConverter(QuantMethod.class, METHOD);
        cli.registerConverter(LandmarkSetKind.class, SET);
        cli.registerConverter(ObserverKind.class, OBSERVER);
        cli.registerConverter(MethodChoice.class, new MethodChoice.ByName());
    }
}
