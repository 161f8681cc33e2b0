package org.edgeq.backend.cuda;

/**
 * Times GPU work with CUDA events on the backend's stream: the mean milliseconds of one run of a piece of work over
 * {@code repetitions} runs, after {@code warmup} untimed runs. For benchmarks; not yet run on a GPU.
 */
public final class CudaTimer {
    private final CudaBackend backend;

    public CudaTimer(CudaBackend backend) {
        this.backend = backend;
    }

    /** Mean milliseconds per run of {@code work} (which must only enqueue work on the backend). */
    public double meanMillis(Runnable work, int warmup, int repetitions) {
        if (warmup < 0 || repetitions < 1) {
            throw new IllegalArgumentException("CudaTimer: need warmup >= 0 and repetitions >= 1, got " + warmup + " and " + repetitions);
        }
        for (int i = 0; i < warmup; i++) work.run();
        backend.synchronize();
        double total = backend.device().timeMillis("CudaTimer", () -> {
            for (int i = 0; i < repetitions; i++) work.run();
        });
        return total / repetitions;
    }
}
