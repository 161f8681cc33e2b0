package org.edgeq.cli;

/**
 * The one bound on every batch-size option ({@code --batch-size}, {@code --eval-batch-size},
 * {@code --train-batch-size}): 1..65536, so that a typo like 2000000000 is refused with one line instead of asking
 * for a 128 GB activation tensor.
 */
final class BatchSizes {
    /** Largest batch any command accepts (the one TrainCommand already enforced). */
    static final int MAX = 65_536;

    private BatchSizes() {
    }

    /** {@code value}, or a {@link UsageException} "{@code option} must be 1..65536, got N". */
    static int check(String option, int value) {
        if (value < 1 || value > MAX) throw new UsageException(option + " must be 1.." + MAX + ", got " + value);
        return value;
    }

    /** As {@link #check(String, int)}; null (not given) passes. */
    static Integer checkOptional(String option, Integer value) {
        return value == null ? null : check(option, value);
    }
}
