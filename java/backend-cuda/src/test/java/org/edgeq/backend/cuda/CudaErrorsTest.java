package org.edgeq.backend.cuda;

import org.edgeq.bindings.cublaslt.CublasLt;
import org.edgeq.bindings.cudart.CudaRuntime;
import org.edgeq.bindings.edgeq.EdgeqNative;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaErrorsTest {

    @Test
    void codesSpelledOutMatchTheGeneratedBindings() {
        assertEquals(EdgeqNative.EDGEQ_OK(), CudaErrors.EDGEQ_OK);
        assertEquals(EdgeqNative.EDGEQ_ERROR_INVALID_ARGUMENT(), CudaErrors.EDGEQ_ERROR_INVALID_ARGUMENT);
        assertEquals(EdgeqNative.EDGEQ_ERROR_CUDA(), CudaErrors.EDGEQ_ERROR_CUDA);
        assertEquals(EdgeqNative.EDGEQ_ERROR_OUT_OF_MEMORY(), CudaErrors.EDGEQ_ERROR_OUT_OF_MEMORY);
        assertEquals(CudaRuntime.cudaSuccess(), CudaErrors.CUDA_SUCCESS);
        assertEquals(CudaRuntime.cudaErrorMemoryAllocation(), CudaErrors.CUDA_ERROR_MEMORY_ALLOCATION);
        assertEquals(CublasLt.CUBLAS_STATUS_SUCCESS(), CudaErrors.CUBLAS_STATUS_SUCCESS);
        assertEquals(CublasLt.CUBLAS_STATUS_ALLOC_FAILED(), CudaErrors.CUBLAS_STATUS_ALLOC_FAILED);
    }

    @Test
    void edgeqOutOfMemoryBecomesTheOutOfMemoryExceptionWithOpStatusAndLibraryMessage() {
        CudaException e = CudaErrors.edgeq("conv2d", 3, "EDGEQ_ERROR_OUT_OF_MEMORY",
                "edgeq_im2col_f32: cudaErrorMemoryAllocation: out of memory");
        assertInstanceOf(CudaOutOfMemoryException.class, e);
        assertEquals("conv2d: EDGEQ_ERROR_OUT_OF_MEMORY: edgeq_im2col_f32: cudaErrorMemoryAllocation: out of memory", e.getMessage());
        assertEquals("conv2d", e.op());
        assertFalse(e.sticky());
    }

    @Test
    void edgeqCudaErrorIsStickyOnlyWhenItsMessageNamesAStickyCudaError() {
        CudaException fault = CudaErrors.edgeq("synchronize", 2, "EDGEQ_ERROR_CUDA",
                "edgeq_stream_synchronize: cudaErrorIllegalAddress: an illegal memory access was encountered");
        assertTrue(fault.sticky());
        assertFalse(fault instanceof CudaOutOfMemoryException);
        assertEquals("synchronize: EDGEQ_ERROR_CUDA: edgeq_stream_synchronize: cudaErrorIllegalAddress: an illegal memory access"
                + " was encountered" + CudaErrors.ASYNC_HINT, fault.getMessage());
        assertTrue(CudaErrors.edgeq("relu", 2, "EDGEQ_ERROR_CUDA", "edgeq_relu_f32: cudaErrorLaunchFailure: unspecified launch failure").sticky());
        assertFalse(CudaErrors.edgeq("relu", 2, "EDGEQ_ERROR_CUDA", "edgeq_relu_f32: cudaErrorInvalidConfiguration: invalid configuration argument").sticky());
        assertFalse(CudaErrors.edgeq("relu", 1, "EDGEQ_ERROR_INVALID_ARGUMENT", "edgeq_relu_f32: x is NULL").sticky(),
                "an argument error never corrupts the context");
        // A name that merely starts like a sticky one is not sticky.
        assertFalse(CudaErrors.namesStickyCudaError("cudaErrorIllegalAddressX: made up"));
    }

    @Test
    void missingLastErrorStillGivesAReadableMessage() {
        assertEquals("fill: EDGEQ_ERROR_INTERNAL: (no message)", CudaErrors.edgeq("fill", 6, "EDGEQ_ERROR_INTERNAL", "").getMessage());
    }

    @Test
    void cudaRuntimeCodesMapByNumber() {
        CudaException oom = CudaErrors.cudart("upload", "cudaMemcpyAsync", 2, "cudaErrorMemoryAllocation", "out of memory");
        assertInstanceOf(CudaOutOfMemoryException.class, oom);
        assertEquals("upload: cudaMemcpyAsync: cudaErrorMemoryAllocation: out of memory", oom.getMessage());
        for (int sticky : new int[]{700, 702, 710, 714, 715, 716, 717, 718, 719, 721, 911, 226}) {
            assertTrue(CudaErrors.cudart("x", "cudaFree", sticky, "n", "t").sticky(), "code " + sticky);
        }
        for (int plain : new int[]{1, 9, 98, 101, 400, 701, 999}) {
            assertFalse(CudaErrors.cudart("x", "cudaFree", plain, "n", "t").sticky(), "code " + plain);
        }
    }

    @Test
    void cublasLtAllocFailedIsOutOfMemoryAndOtherStatusesCarryTheirNames() {
        assertInstanceOf(CudaOutOfMemoryException.class, CudaErrors.cublasLt("gemm", "cublasLtMatmul", 3, "CUBLAS_STATUS_ALLOC_FAILED", "resource allocation failed"));
        CudaException e = CudaErrors.cublasLt("gemm", "cublasLtMatmulAlgoGetHeuristic", 15, "CUBLAS_STATUS_NOT_SUPPORTED", "the requested feature is not supported");
        assertFalse(e instanceof CudaOutOfMemoryException);
        assertEquals("gemm: cublasLtMatmulAlgoGetHeuristic: CUBLAS_STATUS_NOT_SUPPORTED: the requested feature is not supported", e.getMessage());
    }

    @Test
    void allocationFailureNamesTheSizeAndWhatTheDeviceHasFree() {
        CudaOutOfMemoryException e = CudaErrors.allocationFailed("allocate", 3L << 30, 512L << 20, 80L << 30,
                "cudaErrorMemoryAllocation: out of memory");
        assertEquals("allocate: cudaMalloc of 3072.0 MiB (3221225472 bytes) failed (cudaErrorMemoryAllocation: out of memory);"
                + " the device has 512.0 MiB (536870912 bytes) free of 81920.0 MiB (85899345920 bytes)", e.getMessage());
        assertTrue(CudaErrors.allocationFailed("allocate", 100, -1, -1, "x").getMessage().contains("100 bytes failed"));
    }

    @Test
    void aStickyFaultLatchesTheBackendWithTheFirstFaultWhileOrdinaryErrorsDoNot() {
        FaultLatch latch = new FaultLatch();
        latch.record(CudaErrors.edgeq("relu", 1, "EDGEQ_ERROR_INVALID_ARGUMENT", "edgeq_relu_f32: x is NULL"));
        latch.record(CudaErrors.cudart("allocate", "cudaMalloc", 2, "cudaErrorMemoryAllocation", "out of memory"));
        latch.ensureUsable();
        assertFalse(latch.broken());
        CudaException first = latch.record(CudaErrors.edgeq("synchronize", 2, "EDGEQ_ERROR_CUDA",
                "edgeq_stream_synchronize: cudaErrorIllegalAddress: an illegal memory access was encountered"));
        latch.record(CudaErrors.cudart("free", "cudaFree", 719, "cudaErrorLaunchFailure", "unspecified launch failure"));
        IllegalStateException e = assertThrows(IllegalStateException.class, latch::ensureUsable);
        assertEquals("cuda backend must be recreated: " + first.getMessage(), e.getMessage());
    }

    @Test
    void aClosedLatchRefusesEveryOperationSoNoNativeCallSeesAFreedContext() {
        FaultLatch latch = new FaultLatch();
        latch.ensureUsable();
        latch.markClosed();
        IllegalStateException e = assertThrows(IllegalStateException.class, latch::ensureUsable);
        assertEquals("cuda backend is closed", e.getMessage());
        assertFalse(latch.broken(), "closing is not a fault: freeing tensors of still-open scopes goes on");
    }
}
