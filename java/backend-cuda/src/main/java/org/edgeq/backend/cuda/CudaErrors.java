package org.edgeq.backend.cuda;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the status codes of libedgeq_cuda, the CUDA runtime and cuBLASLt into exceptions: a pure function of the
 * code and the library's text (no native call), so every mapping is tested without a GPU.
 *
 * <p>Codes are spelled out here rather than read from the bindings so the mapping is usable before any library is
 * loaded; a test checks them against the generated constants.
 */
final class CudaErrors {
    private CudaErrors() {
    }

    // edgeq.h
    static final int EDGEQ_OK = 0;
    static final int EDGEQ_ERROR_INVALID_ARGUMENT = 1;
    static final int EDGEQ_ERROR_CUDA = 2;
    static final int EDGEQ_ERROR_OUT_OF_MEMORY = 3;

    // driver_types.h (CUDA 12 and 13 share these values)
    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_MEMORY_ALLOCATION = 2;

    // cublas_api.h
    static final int CUBLAS_STATUS_SUCCESS = 0;
    static final int CUBLAS_STATUS_ALLOC_FAILED = 3;

    /**
     * The CUDA errors driver_types.h documents as leaving "the process in an inconsistent state" where "any further
     * CUDA work will return the same error" (or, for cudaErrorAssert, "the device cannot be used again"):
     * uncorrectable NVLink (220), contained (226), illegal address (700), launch timeout (702), device assert (710),
     * hardware stack error (714), illegal instruction (715), misaligned address (716), invalid address space (717),
     * invalid PC (718), launch failure (719), tensor memory leak (721), external device (911). ECC uncorrectable (214)
     * is added: the driver marks the context unusable after it too.
     */
    static final Set<Integer> STICKY_CUDA_ERRORS = Set.of(214, 220, 226, 700, 702, 710, 714, 715, 716, 717, 718, 719, 721, 911);

    private static final Set<String> STICKY_CUDA_NAMES = Set.of(
            "cudaErrorECCUncorrectable", "cudaErrorNvlinkUncorrectable", "cudaErrorContained", "cudaErrorIllegalAddress",
            "cudaErrorLaunchTimeout", "cudaErrorAssert", "cudaErrorHardwareStackError", "cudaErrorIllegalInstruction",
            "cudaErrorMisalignedAddress", "cudaErrorInvalidAddressSpace", "cudaErrorInvalidPc", "cudaErrorLaunchFailure",
            "cudaErrorTensorMemoryLeak", "cudaErrorExternalDevice");

    private static final Pattern CUDA_ERROR_NAME = Pattern.compile("\\bcudaError[A-Za-z0-9]+");

    static boolean isStickyCudaError(int code) {
        return STICKY_CUDA_ERRORS.contains(code);
    }

    /**
     * Whether a libedgeq_cuda message ("function: cudaErrorName: text", as native/src/errors.cu writes it) names a
     * sticky CUDA error.
     */
    static boolean namesStickyCudaError(String message) {
        if (message == null) return false;
        Matcher m = CUDA_ERROR_NAME.matcher(message);
        while (m.find()) {
            if (STICKY_CUDA_NAMES.contains(m.group())) return true;
        }
        return false;
    }

    /** Appended to a sticky fault: the operation that reports it need not be the one that caused it. */
    static final String ASYNC_HINT = " (kernels run asynchronously, so an earlier operation may have caused this;"
            + " -Dedgeq.cuda.sync=true synchronizes after every launch to name it)";

    /** A failed libedgeq_cuda call: status {@code status} (named {@code statusName}) with edgeq_last_error(). */
    static CudaException edgeq(String op, int status, String statusName, String lastError) {
        String message = op + ": " + statusName + ": " + (lastError == null || lastError.isEmpty() ? "(no message)" : lastError);
        if (status == EDGEQ_ERROR_OUT_OF_MEMORY) return new CudaOutOfMemoryException(op, message);
        boolean sticky = status == EDGEQ_ERROR_CUDA && namesStickyCudaError(lastError);
        return new CudaException(op, sticky ? message + ASYNC_HINT : message, sticky);
    }

    /** A failed CUDA runtime call {@code call} with cudaGetErrorName/cudaGetErrorString of its code. */
    static CudaException cudart(String op, String call, int code, String name, String text) {
        String message = op + ": " + call + ": " + name + ": " + text;
        if (code == CUDA_ERROR_MEMORY_ALLOCATION) return new CudaOutOfMemoryException(op, message);
        return new CudaException(op, message, isStickyCudaError(code));
    }

    /** A failed cuBLASLt call {@code call} with cublasLtGetStatusName/String of its status. */
    static CudaException cublasLt(String op, String call, int status, String name, String text) {
        String message = op + ": " + call + ": " + name + ": " + text;
        if (status == CUBLAS_STATUS_ALLOC_FAILED) return new CudaOutOfMemoryException(op, message);
        return new CudaException(op, message, false);
    }

    /** What a failed device allocation says: the size asked for and what cudaMemGetInfo reports. */
    static CudaOutOfMemoryException allocationFailed(String op, long bytes, long freeBytes, long totalBytes, String cudaText) {
        return new CudaOutOfMemoryException(op, op + ": cudaMalloc of " + bytes(bytes) + " failed (" + cudaText + "); the device has "
                + bytes(freeBytes) + " free of " + bytes(totalBytes));
    }

    /** "1536 MiB (1610612736 bytes)", or plain bytes below 1 MiB. */
    static String bytes(long n) {
        if (n < 0) return "unknown";
        if (n < (1L << 20)) return n + " bytes";
        return String.format(Locale.ROOT, "%.1f MiB (%d bytes)", n / (double) (1L << 20), n);
    }
}
