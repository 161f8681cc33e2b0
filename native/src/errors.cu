// Last-error storage and status names of the C ABI.
#include "errors.h"

namespace edgeq::abi {
namespace {
thread_local std::string last_error;
}

edgeq_status fail(edgeq_status status, const char* function, const std::string& message) {
    try {
        last_error = std::string(function) + ": " + message;
    } catch (...) {
        // Out of memory while formatting: keep whatever message was there; the status still says what failed.
    }
    return status;
}

edgeq_status check_cuda(cudaError_t error, const char* function) {
    if (error == cudaSuccess) return EDGEQ_OK;
    edgeq_status status = EDGEQ_ERROR_CUDA;
    if (error == cudaErrorMemoryAllocation) status = EDGEQ_ERROR_OUT_OF_MEMORY;
    else if (error == cudaErrorNoDevice || error == cudaErrorInsufficientDriver) status = EDGEQ_ERROR_NO_DEVICE;
    cudaGetLastError();  // clear a non-sticky error so the next call starts clean
    return fail(status, function, std::string(cudaGetErrorName(error)) + ": " + cudaGetErrorString(error));
}

}  // namespace edgeq::abi

extern "C" const char* edgeq_last_error(void) {
    return edgeq::abi::last_error.c_str();
}

extern "C" const char* edgeq_status_name(edgeq_status status) {
    switch (status) {
        case EDGEQ_OK: return "EDGEQ_OK";
        case EDGEQ_ERROR_INVALID_ARGUMENT: return "EDGEQ_ERROR_INVALID_ARGUMENT";
        case EDGEQ_ERROR_CUDA: return "EDGEQ_ERROR_CUDA";
        case EDGEQ_ERROR_OUT_OF_MEMORY: return "EDGEQ_ERROR_OUT_OF_MEMORY";
        case EDGEQ_ERROR_NO_DEVICE: return "EDGEQ_ERROR_NO_DEVICE";
        case EDGEQ_ERROR_UNSUPPORTED: return "EDGEQ_ERROR_UNSUPPORTED";
        case EDGEQ_ERROR_INTERNAL: return "EDGEQ_ERROR_INTERNAL";
    }
    return "EDGEQ_STATUS_UNKNOWN";
}

extern "C" int32_t edgeq_abi_version(void) {
    return EDGEQ_ABI_VERSION;
}
