package org.edgeq.cli;

import org.edgeq.quant.core.IntegerGrid;
import picocli.CommandLine.ITypeConverter;

import java.util.function.Function;

/**
 * Every bounded number option's range, each defined once, and the picocli converters that refuse a value outside it
 * at parse time (exit 2, "--epochs 0 is outside 1..100000"). An option names its converter
 * ({@code converter = Ranges.Epochs.class}); a range that depends on other options is checked after parsing with
 * {@link IntRange#check}, with the same message.
 */
final class Ranges {
    /** Training epochs of train, qat and distill. */
    static final IntRange EPOCHS = new IntRange(1, 100_000);
    /** Prune's fine-tuning epochs: unlike training, fine-tuning may be skipped (a one-shot prune measured as it is). */
    static final IntRange FINE_TUNING_EPOCHS = new IntRange(0, 100_000, "0 = no fine-tuning");
    static final IntRange THREADS = new IntRange(0, 4096, "0 = one per available processor");
    /** A typo like 2000000000 is refused with one line instead of asking for a 128 GB activation tensor. */
    static final IntRange BATCH_SIZE = new IntRange(1, 65_536);
    static final IntRange HIDDEN_WIDTH = new IntRange(1, 1_000_000);
    static final IntRange LATENCY_ITERATIONS = new IntRange(1, 1_000_000);
    /** Widths of integer grids (QAT weights, activations): a symmetric grid needs two bits at least ({@link IntegerGrid}). */
    static final IntRange GRID_BITS = new IntRange(2, IntegerGrid.MAX_BITS);
    /** Widths of the integer-only simulator, whose kernels hold at most 8-bit codes. */
    static final IntRange HWSIM_BITS = new IntRange(2, 8);
    /** A count of things that must happen at least once (calibration batches, model outputs, cells at once). */
    static final IntRange AT_LEAST_ONE = new IntRange(1, Integer.MAX_VALUE);
    static final IntRange SAMPLE_LIMIT = new IntRange(0, Integer.MAX_VALUE, "0 = all");
    static final IntRange PATIENCE = new IntRange(0, Integer.MAX_VALUE, "0 = off");

    /** A fraction of something, zero included, the whole excluded: pruning ratios, dropout. */
    static final DecimalRange FRACTION = new DecimalRange(0, true, 1, false);
    static final DecimalRange WEIGHT = new DecimalRange(0, true, 1, true);
    static final DecimalRange POSITIVE = DecimalRange.from(0, false);
    static final DecimalRange NON_NEGATIVE = DecimalRange.from(0, true);
    /** The distillation loss is scaled by T squared: past 1000 it overflows to NaN. */
    static final DecimalRange TEMPERATURE = new DecimalRange(0, false, 1000, true);
    static final DecimalRange LATENCY_SECONDS = new DecimalRange(0, true, 3600, true);
    static final DecimalRange WARM_UP_SECONDS = new DecimalRange(0, true, 600, true);

    private Ranges() {
    }

    /** A converter that parses by one range's rule; each option names a subclass, which picocli makes by its class. */
    private abstract static class RangeConverter<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        RangeConverter(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String text) {
            return parse.apply(text);
        }
    }

    static final class Epochs extends RangeConverter<Integer> { Epochs() { super(EPOCHS::parse); } }
    static final class FineTuningEpochs extends RangeConverter<Integer> { FineTuningEpochs() { super(FINE_TUNING_EPOCHS::parse); } }
    static final class Threads extends RangeConverter<Integer> { Threads() { super(THREADS::parse); } }
    static final class BatchSize extends RangeConverter<Integer> { BatchSize() { super(BATCH_SIZE::parse); } }
    static final class HiddenWidth extends RangeConverter<Integer> { HiddenWidth() { super(HIDDEN_WIDTH::parse); } }
    static final class LatencyIterations extends RangeConverter<Integer> { LatencyIterations() { super(LATENCY_ITERATIONS::parse); } }
    static final class GridBits extends RangeConverter<Integer> { GridBits() { super(GRID_BITS::parse); } }
    static final class HwsimBits extends RangeConverter<Integer> { HwsimBits() { super(HWSIM_BITS::parse); } }
    static final class AtLeastOne extends RangeConverter<Integer> { AtLeastOne() { super(AT_LEAST_ONE::parse); } }
    static final class SampleLimit extends RangeConverter<Integer> { SampleLimit() { super(SAMPLE_LIMIT::parse); } }
    static final class Patience extends RangeConverter<Integer> { Patience() { super(PATIENCE::parse); } }
    static final class Fraction extends RangeConverter<Float> { Fraction() { super(FRACTION::parseFloat); } }
    static final class Ratio extends RangeConverter<Double> { Ratio() { super(FRACTION::parse); } }
    static final class Weight extends RangeConverter<Float> { Weight() { super(WEIGHT::parseFloat); } }
    static final class LearningRate extends RangeConverter<Float> { LearningRate() { super(POSITIVE::parseFloat); } }
    static final class WeightDecay extends RangeConverter<Float> { WeightDecay() { super(NON_NEGATIVE::parseFloat); } }
    static final class Positive extends RangeConverter<Double> { Positive() { super(POSITIVE::parse); } }
    static final class Temperature extends RangeConverter<Float> { Temperature() { super(TEMPERATURE::parseFloat); } }
    static final class LatencySeconds extends RangeConverter<Double> { LatencySeconds() { super(LATENCY_SECONDS::parse); } }
    static final class WarmUpSeconds extends RangeConverter<Double> { WarmUpSeconds() { super(WARM_UP_SECONDS::parse); } }
}
