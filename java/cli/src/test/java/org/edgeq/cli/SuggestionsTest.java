package org.edgeq.cli;

import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.edgeq.cli.RangesTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mistyped option, command or name is refused with the nearest right one; a word near none gets no guess. */
class SuggestionsTest {

    private static String firstLine(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(2, r.errLines().size(), "one line plus the --help hint: " + r.err());
        return r.errLines().getFirst();
    }

    @Test
    void aMistypedOptionGetsTheNearestOptionOfItsCommand() {
        String line = firstLine("train", "--epoch", "3");
        assertTrue(line.startsWith("edgeq train: Unknown option") && line.contains("'--epoch'"), line);
        assertTrue(line.endsWith("; did you mean --epochs?"), line);
        line = firstLine("quantize", "--model", "m", "--observr", "mse");
        assertTrue(line.contains("did you mean --observer"), line);
    }

    @Test
    void aMistypedCommandGetsTheNearestCommand() {
        String line = firstLine("trian");
        assertTrue(line.contains("'trian'") && line.contains("did you mean train"), line);
    }

    @Test
    void aMistypedChoiceListsTheChoicesAndTheNearestOne() {
        assertEquals("--model 'dense-simpl' is not one of dense-simple, dense-complex, dense, cnn-seed, cnn-small, resnet9; "
                + "did you mean dense-simple?", refusal("train", "--model", "dense-simpl"));
        assertTrue(firstLine("train", "--model", "dense-simpl").endsWith("did you mean dense-simple?"), "whole on the printed line");
        assertTrue(refusal("train", "--optimizer", "adma").endsWith("did you mean adam?"));
        assertTrue(refusal("prune", "--model", "m", "--scope", "globl").endsWith("did you mean global?"));
        assertTrue(refusal("hwsim", "--model", "m", "--rounding", "singel").endsWith("did you mean single?"));
        assertTrue(refusal("train", "--preset", "sed").endsWith("did you mean seed?"));
    }

    @Test
    void aMistypedQuantizationNameGetsTheNearestMethodSetOrObserver() {
        assertEquals("--method 'rondin' is not one of mid-rise, rounding, stochastic, multipoint, multipoint-grid, affine, all; "
                + "did you mean rounding?", refusal("quantize", "--model", "m", "--method", "rondin"));
        assertTrue(refusal("quantize", "--model", "m", "--set", "histgram").endsWith("did you mean histogram?"));
        assertTrue(refusal("quantize", "--model", "m", "--observer", "minmx").endsWith("did you mean minmax?"));
        assertTrue(refusal("qat", "--model", "m", "--method", "stochastik").endsWith("did you mean stochastic?"));
        assertTrue(refusal("prune", "--model", "m", "--then-quantize", "afine").endsWith("did you mean affine?"));
    }

    @Test
    void aWordNearNoNameGetsNoGuess() {
        String message = refusal("train", "--model", "lenet");
        assertTrue(message.startsWith("--model 'lenet' is not one of dense-simple"), message);
        assertFalse(message.contains("did you mean"), message);
    }

    @Test
    void aMistypedDatasetNameGetsTheNearestBuiltInName() {
        String line = firstLine("train", "--dataset", "telescop");
        assertTrue(line.endsWith("did you mean telescope?"), line);
    }

    @Test
    void theReferenceStudysSpellingsAndEmaAreStillRead() {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("quantize", "--model", "m", "--method", "regular_rounding,all",
                "--set", "uniform_range_IQR", "--observer", "ema");
        QuantizeCommand q = (QuantizeCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(List.of(QuantMethod.ROUNDING), q.methods.getFirst().methods());
        assertEquals(List.of(QuantMethod.values()), q.methods.get(1).methods());
        assertEquals(List.of(LandmarkSetKind.IQR), q.sets);
        assertEquals(ObserverKind.MOVING_AVERAGE, q.observer);
    }
}
