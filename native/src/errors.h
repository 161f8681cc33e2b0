// Thread-local last-error message and the CUDA-error-to-status conversion behind every C entry point.
#pragma once

#include <cuda_runtime.h>
#include <string>

#include "edgeq.h"

namespace edgeq::abi {

/** Records "function: message" as the calling thread's last error and returns status. */
edgeq_status fail(edgeq_status status, const char* function, const std::string& message);

/** EDGEQ_OK for cudaSuccess; otherwise records the CUDA error name and text and returns its status. */
edgeq_status check_cuda(cudaError_t error, const char* function);

}  // namespace edgeq::abi
