package org.edgeq.prune;

/**
 * The gradual pruning schedule of Zhu and Gupta (2017, "To prune, or not to prune"): sparsity rises from
 * {@code initial} to {@code target} over {@code steps} pruning events {@code frequency} optimizer steps apart,
 * starting at step {@code start}: s_t = s_f + (s_i − s_f)(1 − (t − t0)/(n·Δt))³, fast at first while redundant
 * weights abound, slowly near the end.
 *
 * @param initial   s_i, sparsity at t0, in [0, 1)
 * @param target    s_f, final sparsity, in [s_i, 1)
 * @param start     t0, the first pruning step (optimizer steps count from 1)
 * @param steps     n, the number of pruning intervals (pruning happens n + 1 times, at t0, t0 + Δt, ..., t0 + nΔt)
 * @param frequency Δt, optimizer steps between pruning events
 */
public record PolynomialSchedule(double initial, double target, long start, int steps, int frequency) {

    public PolynomialSchedule {
        if (!(initial >= 0 && initial < 1)) throw new IllegalArgumentException("initial sparsity must be in [0, 1), got " + initial);
        if (!(target >= initial && target < 1)) throw new IllegalArgumentException("target sparsity must be in [" + initial + ", 1), got " + target);
        if (start < 1) throw new IllegalArgumentException("start step counts from 1, got " + start);
        if (steps < 1) throw new IllegalArgumentException("pruning steps must be >= 1, got " + steps);
        if (frequency < 1) throw new IllegalArgumentException("pruning frequency must be >= 1 step, got " + frequency);
    }

    /** The sparsity the schedule asks for at optimizer step {@code t}: 0 before t0, s_f after t0 + nΔt. */
    public double sparsityAt(long t) {
        if (t < start) return 0;
        double progress = Math.min(1.0, (double) (t - start) / ((double) steps * frequency));
        double rest = 1 - progress;
        return target + (initial - target) * rest * rest * rest;
    }

    /** Whether the masks are recomputed at step {@code t}. */
    public boolean isPruningStep(long t) {
        return t >= start && t <= lastPruningStep() && (t - start) % frequency == 0;
    }

    /** t0 + nΔt: sparsity is final from here on. */
    public long lastPruningStep() {
        return start + (long) steps * frequency;
    }
}
