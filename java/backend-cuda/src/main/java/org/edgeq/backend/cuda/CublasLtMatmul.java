package org.edgeq.backend.cuda;

import org.edgeq.bindings.cublaslt.CublasLt;
import org.edgeq.bindings.cublaslt.cublasLtMatmulHeuristicResult_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * cuBLASLt matrix multiplies on one stream: a handle, a workspace, and per shape a cached plan (operation
 * descriptor, three matrix layouts and the algorithm cublasLtMatmulAlgoGetHeuristic picked for that workspace).
 * Row-major problems arrive already restated column-major ({@link ColumnMajorGemm}). Not yet run on a GPU.
 */
final class CublasLtMatmul implements AutoCloseable {

    /** The element types of one multiply. */
    enum Kind {
        /** f32 in and out, CUBLAS_COMPUTE_32F. */
        F32,
        /** IEEE half A and B, f32 C, CUBLAS_COMPUTE_32F. */
        F16_F32,
        /** int8 A and B, int32 C, CUBLAS_COMPUTE_32I with int32 alpha and beta (TN only: see ColumnMajorGemm.int8). */
        I8_I32;

        int computeType() {
            return this == I8_I32 ? CublasLt.CUBLAS_COMPUTE_32I() : CublasLt.CUBLAS_COMPUTE_32F();
        }

        int scaleType() {
            return this == I8_I32 ? CublasLt.CUDA_R_32I() : CublasLt.CUDA_R_32F();
        }

        int inputType() {
            return switch (this) {
                case F32 -> CublasLt.CUDA_R_32F();
                case F16_F32 -> CublasLt.CUDA_R_16F();
                case I8_I32 -> CublasLt.CUDA_R_8I();
            };
        }

        int outputType() {
            return this == I8_I32 ? CublasLt.CUDA_R_32I() : CublasLt.CUDA_R_32F();
        }
    }

    /**
     * A plan is only valid for buffers at least as aligned as its heuristic was told: by default cuBLASLt assumes
     * 256-byte aligned A, B, C and D, and an algorithm picked under that assumption may fail on a pointer into a
     * workspace (a convolution's pixel matrix) or a view. So the alignments (capped at 256) are part of the key.
     */
    private record PlanKey(Kind kind, ColumnMajorGemm shape, int alignFirst, int alignSecond, int alignResult) {
    }

    /** The largest power of two, at most 256, dividing {@code address}: the alignment cuBLASLt may count on. */
    static int alignment(long address) {
        return address == 0 ? 256 : (int) Math.min(256L, Long.lowestOneBit(address));
    }

    /** Descriptors and the chosen algorithm for one PlanKey; freed on close. */
    private record Plan(MemorySegment desc, MemorySegment first, MemorySegment second, MemorySegment result,
                        MemorySegment heuristic) {
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment stream;
    private final MemorySegment workspace;
    private final long workspaceBytes;
    private final FaultLatch latch;
    private final Runnable makeCurrent;
    private final Map<PlanKey, Plan> plans = new ConcurrentHashMap<>();
    private final MemorySegment scalars = arena.allocate(16, 8);

    /**
     * Creates the handle; {@code workspace} is device memory of {@code workspaceBytes} the caller owns;
     * {@code makeCurrent} makes the stream's device current on the calling thread (cuBLASLt runs on the current one).
     */
    CublasLtMatmul(MemorySegment stream, MemorySegment workspace, long workspaceBytes, FaultLatch latch, Runnable makeCurrent) {
        this.stream = stream;
        this.workspace = workspace;
        this.workspaceBytes = workspaceBytes;
        this.latch = latch;
        this.makeCurrent = makeCurrent;
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        check("open", "cublasLtCreate", CublasLt.cublasLtCreate(out));
        this.handle = out.get(ValueLayout.ADDRESS, 0);
    }

    static String version() {
        long v = CublasLt.cublasLtGetVersion();
        return (v / 10000) + "." + (v / 100) % 100 + "." + v % 100;
    }

    /**
     * D = alpha * op(first) op(second) + beta * C with C = D = {@code result}, on the stream. For {@link Kind#I8_I32}
     * alpha and beta must be integers (they are passed as int32).
     */
    void matmul(String op, Kind kind, ColumnMajorGemm shape, float alpha, MemorySegment first, MemorySegment second,
                float beta, MemorySegment result) {
        latch.ensureUsable();
        makeCurrent.run();
        PlanKey planKey = new PlanKey(kind, shape, alignment(first.address()), alignment(second.address()),
                alignment(result.address()));
        Plan plan = plans.computeIfAbsent(planKey, key -> plan(op, key));
        if (kind == Kind.I8_I32) {
            scalars.set(ValueLayout.JAVA_INT, 0, (int) alpha);
            scalars.set(ValueLayout.JAVA_INT, 8, (int) beta);
        } else {
            scalars.set(ValueLayout.JAVA_FLOAT, 0, alpha);
            scalars.set(ValueLayout.JAVA_FLOAT, 8, beta);
        }
        MemorySegment algo = cublasLtMatmulHeuristicResult_t.algo(plan.heuristic());
        check(op, "cublasLtMatmul", CublasLt.cublasLtMatmul(handle, plan.desc(), scalars.asSlice(0, 4), first, plan.first(),
                second, plan.second(), scalars.asSlice(8, 4), result, plan.result(), result, plan.result(), algo,
                workspace, workspaceBytes, stream));
    }

    private Plan plan(String op, PlanKey key) {
        Kind kind = key.kind();
        ColumnMajorGemm s = key.shape();
        List<Runnable> undo = new ArrayList<>();
        try {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(op, "cublasLtMatmulDescCreate", CublasLt.cublasLtMatmulDescCreate(out, kind.computeType(), kind.scaleType()));
            MemorySegment desc = out.get(ValueLayout.ADDRESS, 0);
            undo.add(() -> CublasLt.cublasLtMatmulDescDestroy(desc));
            setInt(op, desc, CublasLt.CUBLASLT_MATMUL_DESC_TRANSA(), s.transposeFirst() ? CublasLt.CUBLAS_OP_T() : CublasLt.CUBLAS_OP_N());
            setInt(op, desc, CublasLt.CUBLASLT_MATMUL_DESC_TRANSB(), s.transposeSecond() ? CublasLt.CUBLAS_OP_T() : CublasLt.CUBLAS_OP_N());
            MemorySegment first = layout(op, kind.inputType(), s.firstRows(), s.firstCols(), s.ldFirst(), undo);
            MemorySegment second = layout(op, kind.inputType(), s.secondRows(), s.secondCols(), s.ldSecond(), undo);
            MemorySegment result = layout(op, kind.outputType(), s.rows(), s.cols(), s.ldResult(), undo);

            check(op, "cublasLtMatmulPreferenceCreate", CublasLt.cublasLtMatmulPreferenceCreate(out));
            MemorySegment pref = out.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
                bytes.set(ValueLayout.JAVA_LONG, 0, workspaceBytes);
                check(op, "cublasLtMatmulPreferenceSetAttribute", CublasLt.cublasLtMatmulPreferenceSetAttribute(pref,
                        CublasLt.CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES(), bytes, 8));
                setPreference(op, pref, CublasLt.CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES(), key.alignFirst());
                setPreference(op, pref, CublasLt.CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES(), key.alignSecond());
                setPreference(op, pref, CublasLt.CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES(), key.alignResult());
                setPreference(op, pref, CublasLt.CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES(), key.alignResult());
                MemorySegment heuristic = cublasLtMatmulHeuristicResult_t.allocate(arena);
                MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
                check(op, "cublasLtMatmulAlgoGetHeuristic", CublasLt.cublasLtMatmulAlgoGetHeuristic(handle, desc, first, second,
                        result, result, pref, 1, heuristic, count));
                if (count.get(ValueLayout.JAVA_INT, 0) < 1) {
                    throw new CudaException(op, op + ": cuBLASLt has no algorithm for " + kind + " " + s, false);
                }
                check(op, "cublasLtMatmulAlgoGetHeuristic (result state)", cublasLtMatmulHeuristicResult_t.state(heuristic));
                undo.clear();
                return new Plan(desc, first, second, result, heuristic);
            } finally {
                CublasLt.cublasLtMatmulPreferenceDestroy(pref);
            }
        } finally {
            for (Runnable r : undo.reversed()) r.run();
        }
    }

    private MemorySegment layout(String op, int type, long rows, long cols, long ld, List<Runnable> undo) {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        check(op, "cublasLtMatrixLayoutCreate", CublasLt.cublasLtMatrixLayoutCreate(out, type, rows, cols, ld));
        MemorySegment layout = out.get(ValueLayout.ADDRESS, 0);
        undo.add(() -> CublasLt.cublasLtMatrixLayoutDestroy(layout));
        return layout;
    }

    private void setPreference(String op, MemorySegment pref, int attribute, int value) {
        MemorySegment buf = arena.allocate(ValueLayout.JAVA_INT);
        buf.set(ValueLayout.JAVA_INT, 0, value);
        check(op, "cublasLtMatmulPreferenceSetAttribute", CublasLt.cublasLtMatmulPreferenceSetAttribute(pref, attribute, buf, 4));
    }

    private void setInt(String op, MemorySegment desc, int attribute, int value) {
        MemorySegment buf = arena.allocate(ValueLayout.JAVA_INT);
        buf.set(ValueLayout.JAVA_INT, 0, value);
        check(op, "cublasLtMatmulDescSetAttribute", CublasLt.cublasLtMatmulDescSetAttribute(desc, attribute, buf, 4));
    }

    private void check(String op, String call, int status) {
        if (status == CudaErrors.CUBLAS_STATUS_SUCCESS) return;
        throw latch.record(CudaErrors.cublasLt(op, call, status, text(CublasLt.cublasLtGetStatusName(status), "status " + status),
                text(CublasLt.cublasLtGetStatusString(status), "(no message)")));
    }

    private static String text(MemorySegment pointer, String fallback) {
        return pointer.equals(MemorySegment.NULL) ? fallback : pointer.reinterpret(4096).getString(0);
    }

    @Override
    public void close() {
        for (Plan p : plans.values()) {
            CublasLt.cublasLtMatrixLayoutDestroy(p.first());
            CublasLt.cublasLtMatrixLayoutDestroy(p.second());
            CublasLt.cublasLtMatrixLayoutDestroy(p.result());
            CublasLt.cublasLtMatmulDescDestroy(p.desc());
        }
        plans.clear();
        CublasLt.cublasLtDestroy(handle);
        arena.close();
    }
}
