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

    private final GemmEngine engine;
    private final boolean cublasLtAvailable;
    private final Map<GemmShape, GemmEngine> chosen = new ConcurrentHashMap<>();

    GemmEnginePolicy(GemmEngine engine, boolean cublasLtAvailable) {
        if (engine == GemmEngine.CUBLASLT && !cublasLtAvailable) {
            throw new IllegalArgumentException("gemm engine CUBLASLT asked for, but cuBLASLt is not loaded");
        }
        this.engine = engine;
        this.cublasLtAvailable = cublasLtAvailable;
    }

    GemmEngine engine() {
        return engine;
    }

    Decision decide(GemmShape shape) {
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
