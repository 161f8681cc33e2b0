package org.edgeq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every bounded number option accepts exactly its one range, wherever it appears, and refuses a value outside it at
 * parse time with one message: the option, the value and the range.
 */
class RangesTest {

    /** Parses {@code args} as edgeq does, running nothing; a refused value throws. */
    static void parse(String... args) {
        Main.commandLine().parseArgs(args);
    }

    /** The one line edgeq prints for the value {@code args} give that is refused while parsing. */
    static String refusal(String... args) {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> parse(args));
        return Main.usageMessage(e);
    }

    private static String[] with(String command, String option, String value) {
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        args.add(option);
        args.add(value);
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0} {1}: {2}..{3}")
    @CsvSource(delimiter = '|', textBlock = """
            train                          | --epochs               | 1 | 100000  |
            qat --model m                  | --epochs               | 1 | 100000  |
            distill --teacher t --student dense | --epochs          | 1 | 100000  |
            prune --model m                | --epochs               | 0 | 100000  | 0 = no fine-tuning
            train                          | --threads              | 0 | 4096    | 0 = one per available processor
            doctor                         | --threads              | 0 | 4096    | 0 = one per available processor
            info --model m                 | --threads              | 0 | 4096    | 0 = one per available processor
            train                          | --batch-size           | 1 | 65536   |
            eval --model m                 | --batch-size           | 1 | 65536   |
            hwsim --model m                | --batch-size           | 1 | 65536   |
            quantize --model m             | --eval-batch-size      | 1 | 65536   |
            info --model m                 | --eval-batch-size      | 1 | 65536   |
            study                          | --eval-batch-size      | 1 | 65536   |
            qat --model m                  | --train-batch-size     | 1 | 65536   |
            train                          | --hidden               | 1 | 1000000 |
            distill --teacher t --student dense | --hidden          | 1 | 1000000 |
            info --arch dense --input-shape 4 | --hidden            | 1 | 1000000 |
            quantize --model m             | --latency-iterations   | 1 | 1000000 |
            info --model m                 | --latency-iterations   | 1 | 1000000 |
            study                          | --latency-iterations   | 1 | 1000000 |
            quantize --model m             | --act-bits             | 2 | 16      |
            qat --model m                  | --act-bits             | 2 | 16      |
            distill --teacher t --student dense | --qat-bits        | 2 | 16      |
            hwsim --model m                | --bits                 | 2 | 8       |
            hwsim --model m                | --act-bits             | 2 | 8       |
            """)
    void wholeNumbersAreAcceptedFromTheirMinimumToTheirMaximumAndRefusedOneStepOutside(String command, String option, int min,
                                                                                         int max, String note) {
        String why = note == null ? "" : " (" + note + ")";
        parse(with(command.strip(), option, Integer.toString(min)));
        parse(with(command.strip(), option, Integer.toString(max)));
        assertEquals(option + " " + (min - 1) + " is outside " + min + ".." + max + why, refusal(with(command.strip(), option, Integer.toString(min - 1))));
        assertEquals(option + " " + (max + 1L) + " is outside " + min + ".." + max + why, refusal(with(command.strip(), option, Long.toString(max + 1L))));
    }

    @ParameterizedTest(name = "{0} {1} >= {2}")
    @CsvSource(delimiter = '|', textBlock = """
            quantize --model m             | --calibration-batches | 1 |
            hwsim --model m                | --calibration-batches | 1 |
            info --arch dense --input-shape 4 | --outputs          | 1 |
            train                          | --limit               | 0 | 0 = all
            hwsim --model m                | --limit               | 0 | 0 = all
            train                          | --patience            | 0 | 0 = off
            """)
    void countsWithoutAnUpperBoundAreRefusedBelowTheirMinimum(String command, String option, int min, String note) {
        parse(with(command.strip(), option, Integer.toString(min)));
        parse(with(command.strip(), option, Integer.toString(Integer.MAX_VALUE)));
        assertEquals(option + " " + (min - 1) + " is below " + min + (note == null ? "" : " (" + note + ")"),
                refusal(with(command.strip(), option, Integer.toString(min - 1))));
    }

    @ParameterizedTest(name = "{0} {1} in {4}")
    @CsvSource(delimiter = '|', textBlock = """
            prune --model m                     | --ratio          | 0   | 0.999 | [0, 1)      | 1.0    | -0.1
            train                               | --dropout        | 0   | 0.999 | [0, 1)      | 1.0    | -0.1
            distill --teacher t --student dense | --alpha          | 0   | 1     | [0, 1]      | 1.5    | -0.5
            distill --teacher t --student dense | --temperature    | 0.1 | 1000  | (0, 1000]   | 0.0    | 1000.5
            train                               | --lr             | 1e-9 | 1e9  | > 0         | 0.0    | -1.0
            qat --model m                       | --lr             | 1e-9 | 1e9  | > 0         | 0.0    | -1.0
            train                               | --weight-decay   | 0   | 1e9   | >= 0        | -1.0   | -0.5
            quantize --model m                  | --latency-seconds | 0  | 3600  | [0, 3600]   | 3601.0 | -1.0
            info --model m                      | --latency-seconds | 0  | 3600  | [0, 3600]   | 3601.0 | -1.0
            study                               | --latency-seconds | 0  | 3600  | [0, 3600]   | 3601.0 | -1.0
            train                               | --warm-up        | 0   | 600   | [0, 600]    | 601.0  | -1.0
            hwsim --model m                     | --node-nm        | 1e-3 | 1e3  | > 0         | 0.0    | -7.0
            hwsim --model m                     | --vdd            | 1e-3 | 1e3  | > 0         | 0.0    | -7.0
            """)
    void decimalsAreAcceptedInsideTheirIntervalAndRefusedOutsideIt(String command, String option, String low, String high,
                                                                  String interval, String outside, String alsoOutside) {
        parse(with(command.strip(), option, low));
        parse(with(command.strip(), option, high));
        String verb = interval.startsWith(">") ? " is not " : " is outside ";
        assertEquals(option + " " + outside + verb + interval, refusal(with(command.strip(), option, outside)));
        assertEquals(option + " " + alsoOutside + verb + interval, refusal(with(command.strip(), option, alsoOutside)));
    }

    @Test
    void everyElementOfAListIsChecked() {
        assertEquals("--ratio 1.0 is outside [0, 1)", refusal("prune", "--model", "m", "--ratio", "0.5,1.0"));
        assertEquals("--hidden 0 is outside 1..1000000", refusal("train", "--hidden", "20,0"));
    }

    @Test
    void aWordWhereANumberBelongsIsRefusedAsNotAWholeNumber() {
        assertEquals("--epochs 'ten' is not a whole number", refusal("train", "--epochs", "ten"));
        assertEquals("--hidden '' is not a whole number", refusal("train", "--hidden", ""));
    }

    @Test
    void aRangeThatDependsOnOtherOptionsIsCheckedAfterParsingWithTheSameMessage() {
        UsageException e = assertThrows(UsageException.class, () -> Ranges.GRID_BITS.check("--bits", 1));
        assertEquals("--bits 1 is outside 2..16", e.getMessage());
        assertEquals(8, Ranges.GRID_BITS.check("--bits", 8));
    }

    @Test
    void aRefusedValueIsBadUsageOnOneLineWithTheHelpHint() {
        CliTest.Run r = CliTest.run("train", "--epochs", "0");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertEquals(List.of("edgeq train: --epochs 0 is outside 1..100000", "Try 'edgeq train --help' for more information."), r.errLines());
        r = CliTest.run("prune", "--model", "m", "--epochs", "-1");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("edgeq prune: --epochs -1 is outside 0..100000 (0 = no fine-tuning)", r.errLines().getFirst());
    }
}
