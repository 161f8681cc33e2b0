package org.edgeq.hwsim;

import org.edgeq.backend.cpu.WorkerPool;

/**
 * Picks the integer GEMM the simulator runs on: {@link CpuIntGemm} over a worker pool, with its native AVX-512 VNNI
 * kernel where that runs here and its Java Vector API kernel otherwise. Whichever it is equals the stepwise
 * reference {@link NaiveIntGemm} bit for bit, results and saturation counts ({@code CpuIntGemmTest}).
 */
public final class IntGemms {

    private IntGemms() {
    }

    /** The chosen implementation, its name and one line on why (for the command's report). */
    public record Choice(IntGemm gemm, String name, String reason) {
    }

    /** The fastest integer GEMM available here, running on {@code pool}. */
    public static Choice best(WorkerPool pool) {
        CpuIntGemm gemm = new CpuIntGemm(pool);
        return new Choice(gemm, "CpuIntGemm", gemm.describe());
    }
}
