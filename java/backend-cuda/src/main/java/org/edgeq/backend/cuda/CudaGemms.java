package org.edgeq.backend.cuda;

import org.edgeq.bindings.edgeq.EdgeqNative;

import java.lang.foreign.MemorySegment;

/**
 * Runs the GEMMs of the CUDA backend on already-checked device pointers: f32 through our kernel or cuBLASLt as
 * {@link GemmEnginePolicy} decides (under AUTO each new shape is timed once with CUDA events on a scratch output,
 * then the faster engine runs the real call), and the int8 and fp16 paths of the benchmarks.
 */
final class CudaGemms {
    private final DeviceCalls device;
    private final GemmEnginePolicy policy;

    CudaGemms(DeviceCalls device, GemmEngine engine) {
        this.device = device;
        this.policy = new GemmEnginePolicy(engine, device.cublasLt() != null);
    }

    GemmEnginePolicy policy() {
        return policy;
    }

    /** Row-major C[m, n] = alpha op(A) op(B) + beta C, as Backend.gemm (m, n, k > 0 are the caller's job). */
    void f32(String op, boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, MemorySegment b,
             float beta, MemorySegment c) {
        GemmShape shape = new GemmShape(m, n, k, transA, transB);
        switch (policy.decide(shape)) {
            case KERNEL -> kernel(op, transA, transB, m, n, k, alpha, a, b, beta, c);
            case CUBLASLT -> cublasLt(op, transA, transB, m, n, k, alpha, a, b, beta, c);
            case MEASURE -> {
                GemmEngine winner = measure(op, shape, alpha, a, b);
                if (winner == GemmEngine.CUBLASLT) cublasLt(op, transA, transB, m, n, k, alpha, a, b, beta, c);
                else kernel(op, transA, transB, m, n, k, alpha, a, b, beta, c);
            }
        }
    }

    private void kernel(String op, boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a,
                        MemorySegment b, float beta, MemorySegment c) {
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_gemm_f32(ctx, s, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, b, beta, c));
    }

    private void cublasLt(String op, boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a,
                          MemorySegment b, float beta, MemorySegment c) {
        device.cublasLt().matmul(op, CublasLtMatmul.Kind.F32, ColumnMajorGemm.of(transA, transB, m, n, k), alpha, b, a, beta, c);
    }

    /**
     * Times both engines (each once to warm up, then once measured) writing into a scratch C with beta = 0, so the
     * caller's C is untouched, and records the faster. A non-sticky cuBLASLt failure (say, no algorithm for this
     * shape) counts as cuBLASLt losing.
     */
    private GemmEngine measure(String op, GemmShape s, float alpha, MemorySegment a, MemorySegment b) {
        long scratch = device.allocate(op, (long) s.m() * s.n() * Float.BYTES);
        try {
            MemorySegment c = MemorySegment.ofAddress(scratch);
            Runnable ours = () -> kernel(op, s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, b, 0f, c);
            Runnable theirs = () -> cublasLt(op, s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, b, 0f, c);
            ours.run();
            double kernelMs = device.timeMillis(op, ours);
            double cublasMs;
            try {
                theirs.run();
                cublasMs = device.timeMillis(op, theirs);
            } catch (CudaException e) {
                if (e.sticky()) throw e;
                cublasMs = Double.POSITIVE_INFINITY;
            }
            return policy.recordTimings(s, kernelMs, cublasMs);
        } finally {
            device.synchronize(op);
            device.free(scratch);
        }
    }

    /** C32[m, n] = A[m, k] B[n, k]^T in int32 by the chosen path. */
    void int8(String op, Int8GemmPath path, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c32) {
        switch (path) {
            case DP4A -> device.launch(op, (ctx, s) -> EdgeqNative.edgeq_gemm_i8_i32(ctx, s, a, b, c32, MemorySegment.NULL,
                    m, n, k, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0));
            case TENSOR_CORE -> device.launch(op, (ctx, s) -> EdgeqNative.edgeq_gemm_i8_i32_tensor_core(ctx, s, a, b, c32,
                    MemorySegment.NULL, m, n, k, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0));
            case CUBLASLT -> requireCublasLt(op).matmul(op, CublasLtMatmul.Kind.I8_I32, ColumnMajorGemm.int8(m, n, k), 1f, b, a, 0f, c32);
        }
    }

    /** C[m, n] = A[m, k] B[n, k]^T, half inputs, f32 accumulate and output. */
    void half(String op, HalfGemmPath path, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        switch (path) {
            case KERNEL -> device.launch(op, (ctx, s) -> EdgeqNative.edgeq_gemm_f16_f32(ctx, s, a, b, c, m, n, k, 1f, 0f));
            case CUBLASLT -> requireCublasLt(op).matmul(op, CublasLtMatmul.Kind.F16_F32, ColumnMajorGemm.of(false, true, m, n, k),
                    1f, b, a, 0f, c);
        }
    }

    private CublasLtMatmul requireCublasLt(String op) {
        CublasLtMatmul lt = device.cublasLt();
        if (lt == null) throw new IllegalStateException(op + ": the CUBLASLT path needs cuBLASLt, which is not loaded");
        return lt;
    }
}
