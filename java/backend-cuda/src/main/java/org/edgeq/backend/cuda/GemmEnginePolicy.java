package org.edgeq.backend.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which engine runs an f32 GEMM of a given shape: the configured one, or under {@link GemmEngine#AUTO} the
 * faster of the two as measured once for that shape. Pure Java (timings are handed in), so the policy is tested
 * without a device.
 */
final class GemmEnginePolicy {
    /** What to do for one call. */
    enum Decision {
        KERNEL, CUBLASLT,
        /** AUTO has not seen this shape: time both engines and report with {@link #recordTimings}. */
        MEASURE
    }

    /**
     * Rows our kernel (edgeq_gemm_f32) takes at most: a grid of at most 65535 row blocks of 64 rows
     * (kernels-cu/src/gemm_f32_simt.cu, gemm_f32_max_rows).
     */
    static final int KERNEL_MAX_ROWS = 65535 * 64;

    private final GemmEngine engine;
    private final boolean cublasLtAvailable;
    private final int kernelMaxRows;
    private final Map<GemmShape, GemmEngine> chosen = new ConcurrentHashMap<>();

    GemmEnginePolicy(GemmEngine engine, boolean cublasLtAvailable) {
        this(engine, cublasLtAvailable, KERNEL_MAX_ROWS);
    }

    GemmEnginePolicy(GemmEngine engine, boolean cublasLtAvailable, int kernelMaxRows) {
        if (engine == GemmEngine.CUBLASLT && !cublasLtAvailable) {
            throw new IllegalArgumentException("gemm engine CUBLASLT asked for, but cuBLASLt is not loaded");
        }
        this.engine = engine;
        this.cublasLtAvailable = cublasLtAvailable;
        this.kernelMaxRows = kernelMaxRows;
    }

    GemmEngine engine() {
        return engine;
    }

    /**
     * The engine for one call. A shape with more rows than our kernel takes goes to cuBLASLt under AUTO, and is
     * refused (IllegalArgumentException, before any launch) when only the kernel may run it.
     */
    Decision decide(GemmShape shape) {
        if (shape.m() > kernelMaxRows && engine != GemmEngine.CUBLASLT) {
            if (engine == GemmEngine.AUTO && cublasLtAvailable) return Decision.CUBLASLT;
            throw new IllegalArgumentException("gemm: m = " + shape.m() + " rows exceeds the " + kernelMaxRows
                    + " our kernel takes" + (cublasLtAvailable ? "; use the CUBLASLT or AUTO engine" : " (and cuBLASLt is not loaded)"));
        }
        return switch (engine) {
            case KERNEL -> Decision.KERNEL;
            case CUBLASLT -> Decision.CUBLASLT;
            case AUTO -> {
                if (!cublasLtAvailable) yield Decision.KERNEL;
                GemmEngine known = chosen.get(shape);
                if (known == null) yield Decision.MEASURE;
                yield known == GemmEngine.CUBLASLT ? Decision.CUBLASLT : Decision.KERNEL;
            }
        };
    }

    /**
     * Remembers the faster engine for {@code shape} (ties go to our kernel, which needs no workspace) and returns it.
     * A timing that is not a finite positive number counts as that engine having failed.
     */
    GemmEngine recordTimings(GemmShape shape, double kernelMillis, double cublasLtMillis) {
        boolean kernelOk = Double.isFinite(kernelMillis) && kernelMillis >= 0;
        boolean cublasOk = Double.isFinite(cublasLtMillis) && cublasLtMillis >= 0;
        GemmEngine winner = cublasOk && (!kernelOk || cublasLtMillis < kernelMillis) ? GemmEngine.CUBLASLT : GemmEngine.KERNEL;
        chosen.put(shape, winner);
        return winner;
    }

    /** The engine AUTO settled on for {@code shape}, or null before it was measured. */
    GemmEngine chosenFor(GemmShape shape) {
        return chosen.get(shape);
    }
}
