// The C entry points: argument checks, device selection and kernel launches on the caller's stream, in the order of
// edgeq.h (by op family, as the Java SPI). Every entry point checks in one order, so that the first bad argument is
// the one reported whatever the call:
//   1. sizes: counts, shapes and geometry (negative, overflowing or beyond what a kernel indexes);
//   2. scalar parameters: scale, code range, probability, eps, temperature, step, betas;
//   3. pointers: every pointer the call reads or writes when it has work to do, and outputs it always writes;
//   4. aliasing: outputs that may not alias an input;
//   5. the context (not NULL), its device made current, and what the device supports (compute capability);
//   6. a call with nothing to do returns EDGEQ_OK here; then the launch.
// Steps 1 to 4 need no device, so a bad argument is named even with a NULL context.
#include <climits>
#include <cmath>
#include <dlfcn.h>
#include <exception>
#include <initializer_list>
#include <new>
#include <string>
#include <utility>

#include "edgeq.h"
#include "edgeq/kernels.h"
#include "errors.h"

struct edgeq_context {
    int32_t device;
    int32_t compute_capability;  // major * 10 + minor
    void* scratch;               // edgeq::kernels::kScratchBytes of device memory for the reductions' partials
};

namespace {

using edgeq::abi::check_cuda;
using edgeq::abi::fail;
using Pointers = std::initializer_list<std::pair<const char*, const void*>>;

#define EDGEQ_TRY(expr)                        \
    do {                                       \
        edgeq_status edgeq_status_ = (expr);   \
        if (edgeq_status_ != EDGEQ_OK) return edgeq_status_; \
    } while (0)

edgeq_status invalid(const char* fn, const std::string& message) {
    return fail(EDGEQ_ERROR_INVALID_ARGUMENT, fn, message);
}

cudaStream_t as_stream(void* stream) {
    return static_cast<cudaStream_t>(stream);
}

// ---- 1. sizes ----

edgeq_status at_least(const char* fn, const char* name, int64_t value, int64_t minimum) {
    if (value < minimum) {
        return invalid(fn, std::string(name) + " = " + std::to_string(value) + " must be >= " + std::to_string(minimum));
    }
    return EDGEQ_OK;
}

// rows * cols must not overflow int64.
edgeq_status check_matrix(const char* fn, int64_t rows, int64_t cols) {
    EDGEQ_TRY(at_least(fn, "rows", rows, 0));
    EDGEQ_TRY(at_least(fn, "cols", cols, 0));
    if (rows > 0 && cols > INT64_MAX / rows) {
        return invalid(fn, "rows * cols = " + std::to_string(rows) + " * " + std::to_string(cols) + " overflows int64");
    }
    return EDGEQ_OK;
}

// x viewed as [channels, inner]; channels * inner must not overflow int64.
edgeq_status check_channels(const char* fn, int64_t channels, int64_t inner) {
    EDGEQ_TRY(at_least(fn, "channels", channels, 0));
    EDGEQ_TRY(at_least(fn, "inner", inner, 0));
    if (channels > 0 && inner > INT64_MAX / channels) return invalid(fn, "channels * inner overflows int64");
    return EDGEQ_OK;
}

edgeq_status check_dims(const char* fn, int32_t m, int32_t n, int32_t k) {
    if (m < 0 || n < 0 || k < 0) {
        return invalid(fn, "m, n, k = " + std::to_string(m) + ", " + std::to_string(n) + ", " + std::to_string(k) +
                               " must be >= 0");
    }
    return EDGEQ_OK;
}

// The int8 and fp16 GEMM kernels tile rows in grid.y blocks of 64 (at most 65535 blocks).
edgeq_status check_tiled_rows(const char* fn, int32_t m) {
    if ((static_cast<int64_t>(m) + 63) / 64 > 65535) {
        return invalid(fn, "m = " + std::to_string(m) + " exceeds 65535 * 64 rows");
    }
    return EDGEQ_OK;
}

edgeq_status check_pool(const char* fn, int32_t batch, int32_t channels, int32_t height, int32_t width, int32_t window,
                        int32_t stride) {
    if (batch < 0 || channels <= 0 || window <= 0 || stride <= 0 || height < window || width < window) {
        return invalid(fn, "invalid pooling geometry batch=" + std::to_string(batch) + " channels=" +
                               std::to_string(channels) + " height=" + std::to_string(height) + " width=" +
                               std::to_string(width) + " window=" + std::to_string(window) + " stride=" +
                               std::to_string(stride));
    }
    if (static_cast<int64_t>(batch) * channels * height * width > INT32_MAX) {
        return invalid(fn, "input of more than 2^31 - 1 elements (argmax is int32)");
    }
    return EDGEQ_OK;
}

edgeq_status check_conv(const char* fn, int32_t batch, int32_t channels, int32_t height, int32_t width, int32_t kernel,
                        int32_t stride, int32_t padding) {
    if (batch < 0 || channels < 1 || height < 1 || width < 1 || kernel < 1 || stride < 1 || padding < 0 ||
        static_cast<int64_t>(height) + 2LL * padding < kernel || static_cast<int64_t>(width) + 2LL * padding < kernel) {
        return invalid(fn, "invalid convolution geometry batch=" + std::to_string(batch) + " channels=" +
                               std::to_string(channels) + " height=" + std::to_string(height) + " width=" +
                               std::to_string(width) + " kernel=" + std::to_string(kernel) + " stride=" +
                               std::to_string(stride) + " padding=" + std::to_string(padding) +
                               " (need batch >= 0, channels, height, width, kernel, stride >= 1, padding >= 0 and "
                               "the padded input at least kernel wide)");
    }
    if (static_cast<int64_t>(height) + 2LL * padding > INT32_MAX || static_cast<int64_t>(width) + 2LL * padding > INT32_MAX ||
        static_cast<int64_t>(channels) * kernel * kernel > INT32_MAX) {
        return invalid(fn, "convolution geometry exceeds 32-bit index arithmetic");
    }
    return EDGEQ_OK;
}

edgeq_status check_batch_norm_shape(const char* fn, int32_t batch, int32_t channels, int32_t spatial) {
    EDGEQ_TRY(at_least(fn, "batch", batch, 0));
    EDGEQ_TRY(at_least(fn, "channels", channels, 1));
    EDGEQ_TRY(at_least(fn, "spatial", spatial, 1));
    if (static_cast<int64_t>(batch) * spatial > INT32_MAX) {
        return invalid(fn, "batch * spatial = " + std::to_string(static_cast<int64_t>(batch) * spatial) +
                               " exceeds 2^31 - 1 elements per channel");
    }
    return EDGEQ_OK;
}

// ---- 2. scalar parameters ----

edgeq_status check_range(const char* fn, int32_t qmin, int32_t qmax) {
    if (qmin > qmax) return invalid(fn, "qmin = " + std::to_string(qmin) + " > qmax = " + std::to_string(qmax));
    return EDGEQ_OK;
}

// ---- 3. pointers and 4. aliasing ----

edgeq_status require(const char* fn, Pointers pointers) {
    for (const auto& named : pointers) {
        if (named.second == nullptr) return invalid(fn, std::string(named.first) + " is NULL");
    }
    return EDGEQ_OK;
}

edgeq_status no_alias(const char* fn, const void* out, const char* out_name, const void* in, const char* in_name) {
    if (out != nullptr && out == in) return invalid(fn, std::string(out_name) + " may not alias " + in_name);
    return EDGEQ_OK;
}

// ---- 5. the context ----

// The context, then its device made current.
edgeq_status ready(const char* fn, edgeq_context* context) {
    if (context == nullptr) return invalid(fn, "context is NULL");
    return check_cuda(cudaSetDevice(context->device), fn);
}

// min_cc is the compute capability (major * 10 + minor) the path needs.
edgeq_status check_capability(const char* fn, const edgeq_context* context, int32_t min_cc, const char* what) {
    if (context->compute_capability < min_cc) {
        return fail(EDGEQ_ERROR_UNSUPPORTED, fn, std::string(what) + " needs compute capability >= " +
                                                     std::to_string(min_cc / 10) + "." + std::to_string(min_cc % 10) +
                                                     ", device has " + std::to_string(context->compute_capability / 10) +
                                                     "." + std::to_string(context->compute_capability % 10));
    }
    return EDGEQ_OK;
}

// ---- 6. the launch ----

// Runs body() (which returns a cudaError_t), converting CUDA errors and C++ exceptions to statuses.
template <typename Body>
edgeq_status launch(const char* fn, Body body) {
    try {
        return check_cuda(body(), fn);
    } catch (const std::bad_alloc&) {
        return fail(EDGEQ_ERROR_OUT_OF_MEMORY, fn, "host allocation failed");
    } catch (const std::exception& e) {
        return fail(EDGEQ_ERROR_INTERNAL, fn, e.what());
    } catch (...) {
        return fail(EDGEQ_ERROR_INTERNAL, fn, "unknown exception");
    }
}

}  // namespace

namespace ek = edgeq::kernels;

// ---- library, devices and contexts (edgeq_abi_version, edgeq_last_error, edgeq_status_name: errors.cu) ----

extern "C" edgeq_status edgeq_device_count(int32_t* count) {
    const char* fn = "edgeq_device_count";
    EDGEQ_TRY(require(fn, {{"count", count}}));
    *count = 0;
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e == cudaErrorInsufficientDriver) {
        // The runtime says "insufficient driver" also when there is no driver at all; say which it is.
        void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (driver == nullptr) {
            cudaGetLastError();
            return fail(EDGEQ_ERROR_NO_DEVICE, fn, "no NVIDIA driver: libcuda.so.1 cannot be loaded (" +
                                                       std::string(cudaGetErrorName(e)) + ")");
        }
        dlclose(driver);
    }
    if (e != cudaSuccess) return check_cuda(e, fn);
    *count = n;
    if (n == 0) return fail(EDGEQ_ERROR_NO_DEVICE, fn, "no CUDA device is visible");
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_context_create(int32_t device, edgeq_context** out) {
    const char* fn = "edgeq_context_create";
    EDGEQ_TRY(require(fn, {{"out", out}}));
    *out = nullptr;
    int count = 0;
    EDGEQ_TRY(check_cuda(cudaGetDeviceCount(&count), fn));
    if (device < 0 || device >= count) {
        return invalid(fn, "device = " + std::to_string(device) + " not in [0, " + std::to_string(count) + ")");
    }
    int major = 0, minor = 0;
    EDGEQ_TRY(check_cuda(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), fn));
    EDGEQ_TRY(check_cuda(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device), fn));
    EDGEQ_TRY(check_cuda(cudaSetDevice(device), fn));
    void* scratch = nullptr;
    EDGEQ_TRY(check_cuda(cudaMalloc(&scratch, edgeq::kernels::kScratchBytes), fn));
    auto* context = new (std::nothrow) edgeq_context{device, major * 10 + minor, scratch};
    if (context == nullptr) {
        cudaFree(scratch);
        return fail(EDGEQ_ERROR_OUT_OF_MEMORY, fn, "host allocation failed");
    }
    *out = context;
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_context_destroy(edgeq_context* context) {
    if (context == nullptr) return EDGEQ_OK;
    const char* fn = "edgeq_context_destroy";
    // cudaFree waits for work on the device, so no reduction still uses the scratch when it goes.
    edgeq_status status = check_cuda(cudaSetDevice(context->device), fn);
    if (status == EDGEQ_OK) status = check_cuda(cudaFree(context->scratch), fn);
    delete context;
    return status;
}

extern "C" edgeq_status edgeq_context_compute_capability(const edgeq_context* context, int32_t* out) {
    const char* fn = "edgeq_context_compute_capability";
    EDGEQ_TRY(require(fn, {{"out", out}}));
    if (context == nullptr) return invalid(fn, "context is NULL");
    *out = context->compute_capability;
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_stream_synchronize(edgeq_context* context, void* stream) {
    const char* fn = "edgeq_stream_synchronize";
    EDGEQ_TRY(ready(fn, context));
    return check_cuda(cudaStreamSynchronize(as_stream(stream)), fn);
}

// ---- memory ----

extern "C" edgeq_status edgeq_fill_f32(edgeq_context* context, void* stream, float* x, int64_t n, float value) {
    const char* fn = "edgeq_fill_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::fill_f32(x, n, value, as_stream(stream)); });
}

// ---- linear algebra ----

extern "C" edgeq_status edgeq_gemm_f32(edgeq_context* context, void* stream, int32_t trans_a, int32_t trans_b,
                                       int32_t m, int32_t n, int32_t k, float alpha, const float* a, const float* b,
                                       float beta, float* c) {
    const char* fn = "edgeq_gemm_f32";
    EDGEQ_TRY(check_dims(fn, m, n, k));
    if (m > ek::gemm_f32_max_rows()) {
        return invalid(fn, "m = " + std::to_string(m) + " exceeds " + std::to_string(ek::gemm_f32_max_rows()) + " rows");
    }
    int64_t work = static_cast<int64_t>(m) * n;
    if (work > 0) EDGEQ_TRY(require(fn, {{"c", c}}));
    if (work > 0 && k > 0) EDGEQ_TRY(require(fn, {{"a", a}, {"b", b}}));
    EDGEQ_TRY(no_alias(fn, c, "c", a, "a"));
    EDGEQ_TRY(no_alias(fn, c, "c", b, "b"));
    EDGEQ_TRY(ready(fn, context));
    if (work == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::gemm_f32_simt(trans_a != 0, trans_b != 0, m, n, k, alpha, a, b, beta, c, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_axpy_f32(edgeq_context* context, void* stream, float alpha, const float* x, float* y,
                                       int64_t n) {
    const char* fn = "edgeq_axpy_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::axpy_f32(alpha, x, y, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_scale_f32(edgeq_context* context, void* stream, float* x, int64_t n, float alpha) {
    const char* fn = "edgeq_scale_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::scale_f32(x, n, alpha, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_add_row_vector_f32(edgeq_context* context, void* stream, float* x, const float* bias,
                                                 int64_t rows, int64_t cols) {
    const char* fn = "edgeq_add_row_vector_f32";
    EDGEQ_TRY(check_matrix(fn, rows, cols));
    if (rows * cols > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"bias", bias}}));
    EDGEQ_TRY(ready(fn, context));
    if (rows * cols == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::add_row_vector_f32(x, bias, rows, cols, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_sum_rows_f32(edgeq_context* context, void* stream, const float* x, float* out,
                                           int64_t rows, int64_t cols, float beta) {
    const char* fn = "edgeq_sum_rows_f32";
    EDGEQ_TRY(check_matrix(fn, rows, cols));
    if (rows > 0 && cols > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    if (cols > 0) EDGEQ_TRY(require(fn, {{"out", out}}));
    EDGEQ_TRY(no_alias(fn, out, "out", x, "x"));
    EDGEQ_TRY(ready(fn, context));
    if (cols == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::sum_rows_f32(x, out, rows, cols, beta, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_sum_f64(edgeq_context* context, void* stream, const float* x, int64_t n,
                                      int32_t squares, double* out) {
    const char* fn = "edgeq_sum_f64";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(require(fn, {{"out", out}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] { return ek::sum_f64(x, n, squares != 0, out, context->scratch, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_all_finite_f32(edgeq_context* context, void* stream, const float* x, int64_t n,
                                             int32_t* out) {
    const char* fn = "edgeq_all_finite_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(require(fn, {{"out", out}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] { return ek::all_finite_f32(x, n, out, context->scratch, as_stream(stream)); });
}

namespace {

// Steps 1 to 5 of the int8 GEMMs; min_cc and what name the path's compute capability.
edgeq_status check_gemm_i8(const char* fn, edgeq_context* context, const int8_t* a, const int8_t* b,
                           const int32_t* c32, const int8_t* c8, int32_t m, int32_t n, int32_t k,
                           const int32_t* multipliers, const int32_t* shifts, int32_t min_cc, const char* what) {
    EDGEQ_TRY(check_dims(fn, m, n, k));
    EDGEQ_TRY(check_tiled_rows(fn, m));
    if (static_cast<int64_t>(m) * n > 0) {
        if (c32 == nullptr && c8 == nullptr) return invalid(fn, "c32 and c8 are both NULL");
        if (k > 0) EDGEQ_TRY(require(fn, {{"a", a}, {"b", b}}));
        if (c8 != nullptr && (multipliers == nullptr || shifts == nullptr)) {
            return invalid(fn, "c8 needs multipliers and shifts (multiplier > 0, shift in 1..62)");
        }
    }
    EDGEQ_TRY(ready(fn, context));
    return check_capability(fn, context, min_cc, what);
}

}  // namespace

extern "C" edgeq_status edgeq_gemm_i8_i32(edgeq_context* context, void* stream, const int8_t* a, const int8_t* b,
                                         int32_t* c32, int8_t* c8, int32_t m, int32_t n, int32_t k,
                                         const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                                         int32_t out_zero_point) {
    const char* fn = "edgeq_gemm_i8_i32";
    EDGEQ_TRY(check_gemm_i8(fn, context, a, b, c32, c8, m, n, k, multipliers, shifts, 61, "dp4a"));
    if (static_cast<int64_t>(m) * n == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::gemm_i8_i32_dp4a(a, b, c32, c8, m, n, k, bias, multipliers, shifts, out_zero_point,
                                    as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_gemm_i8_i32_tensor_core(edgeq_context* context, void* stream, const int8_t* a,
                                                     const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                                                     int32_t k, const int32_t* bias, const int32_t* multipliers,
                                                     const int32_t* shifts, int32_t out_zero_point) {
    const char* fn = "edgeq_gemm_i8_i32_tensor_core";
    EDGEQ_TRY(check_gemm_i8(fn, context, a, b, c32, c8, m, n, k, multipliers, shifts, 72, "int8 WMMA"));
    if (static_cast<int64_t>(m) * n == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::gemm_i8_i32_wmma(a, b, c32, c8, m, n, k, bias, multipliers, shifts, out_zero_point,
                                    as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_gemm_f16_f32(edgeq_context* context, void* stream, const uint16_t* a, const uint16_t* b,
                                          float* c, int32_t m, int32_t n, int32_t k, float alpha, float beta) {
    const char* fn = "edgeq_gemm_f16_f32";
    EDGEQ_TRY(check_dims(fn, m, n, k));
    EDGEQ_TRY(check_tiled_rows(fn, m));
    int64_t work = static_cast<int64_t>(m) * n;
    if (work > 0) EDGEQ_TRY(require(fn, {{"c", c}}));
    if (work > 0 && k > 0) EDGEQ_TRY(require(fn, {{"a", a}, {"b", b}}));
    EDGEQ_TRY(ready(fn, context));
    EDGEQ_TRY(check_capability(fn, context, 70, "fp16 WMMA"));
    if (work == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::gemm_f16_f32_wmma(a, b, c, m, n, k, alpha, beta, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_convert_f32_f16(edgeq_context* context, void* stream, const float* x, uint16_t* y,
                                              int64_t n) {
    const char* fn = "edgeq_convert_f32_f16";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::convert_f32_f16(x, y, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_convert_f16_f32(edgeq_context* context, void* stream, const uint16_t* x, float* y,
                                              int64_t n) {
    const char* fn = "edgeq_convert_f16_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::convert_f16_f32(x, y, n, as_stream(stream)); });
}

// ---- nn: activations ----

extern "C" edgeq_status edgeq_relu_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n) {
    const char* fn = "edgeq_relu_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::relu_f32(x, y, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_relu_backward_f32(edgeq_context* context, void* stream, const float* y, const float* dy,
                                                float* dx, int64_t n) {
    const char* fn = "edgeq_relu_backward_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"y", y}, {"dy", dy}, {"dx", dx}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::relu_backward_f32(y, dy, dx, n, as_stream(stream)); });
}

// ---- nn: convolution building blocks ----

extern "C" edgeq_status edgeq_im2col_f32(edgeq_context* context, void* stream, const float* x, float* cols,
                                         int32_t batch, int32_t channels, int32_t height, int32_t width,
                                         int32_t kernel, int32_t stride, int32_t padding) {
    const char* fn = "edgeq_im2col_f32";
    EDGEQ_TRY(check_conv(fn, batch, channels, height, width, kernel, stride, padding));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"cols", cols}}));
    EDGEQ_TRY(no_alias(fn, cols, "cols", x, "x"));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::im2col_f32(x, cols, batch, channels, height, width, kernel, stride, padding, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_col2im_f32(edgeq_context* context, void* stream, const float* cols, float* dx,
                                         int32_t batch, int32_t channels, int32_t height, int32_t width,
                                         int32_t kernel, int32_t stride, int32_t padding) {
    const char* fn = "edgeq_col2im_f32";
    EDGEQ_TRY(check_conv(fn, batch, channels, height, width, kernel, stride, padding));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"cols", cols}, {"dx", dx}}));
    EDGEQ_TRY(no_alias(fn, dx, "dx", cols, "cols"));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::col2im_f32(cols, dx, batch, channels, height, width, kernel, stride, padding, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_pixels_to_nchw_f32(edgeq_context* context, void* stream, const float* src,
                                                 const float* bias, float* dst, int32_t batch, int32_t channels,
                                                 int32_t pixels) {
    const char* fn = "edgeq_pixels_to_nchw_f32";
    EDGEQ_TRY(at_least(fn, "batch", batch, 0));
    EDGEQ_TRY(at_least(fn, "channels", channels, 1));
    EDGEQ_TRY(at_least(fn, "pixels", pixels, 1));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"src", src}, {"dst", dst}}));
    EDGEQ_TRY(no_alias(fn, dst, "dst", src, "src"));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::pixels_to_nchw_f32(src, bias, dst, batch, channels, pixels, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_nchw_to_pixels_f32(edgeq_context* context, void* stream, const float* src, float* dst,
                                                 int32_t batch, int32_t channels, int32_t pixels) {
    const char* fn = "edgeq_nchw_to_pixels_f32";
    EDGEQ_TRY(at_least(fn, "batch", batch, 0));
    EDGEQ_TRY(at_least(fn, "channels", channels, 1));
    EDGEQ_TRY(at_least(fn, "pixels", pixels, 1));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"src", src}, {"dst", dst}}));
    EDGEQ_TRY(no_alias(fn, dst, "dst", src, "src"));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::nchw_to_pixels_f32(src, dst, batch, channels, pixels, as_stream(stream)); });
}

// ---- nn: pooling ----

extern "C" edgeq_status edgeq_max_pool2d_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                             int32_t* argmax, int32_t batch, int32_t channels, int32_t height,
                                             int32_t width, int32_t window, int32_t stride) {
    const char* fn = "edgeq_max_pool2d_f32";
    EDGEQ_TRY(check_pool(fn, batch, channels, height, width, window, stride));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}, {"argmax", argmax}}));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::max_pool2d_f32(x, y, argmax, batch, channels, height, width, window, stride, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_max_pool2d_backward_f32(edgeq_context* context, void* stream, const float* dy,
                                                      const int32_t* argmax, float* dx, int32_t batch,
                                                      int32_t channels, int32_t height, int32_t width, int32_t window,
                                                      int32_t stride) {
    const char* fn = "edgeq_max_pool2d_backward_f32";
    EDGEQ_TRY(check_pool(fn, batch, channels, height, width, window, stride));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"dy", dy}, {"argmax", argmax}, {"dx", dx}}));
    EDGEQ_TRY(ready(fn, context));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::max_pool2d_backward_f32(dy, argmax, dx, batch, channels, height, width, window, stride,
                                           as_stream(stream));
    });
}

// ---- nn: batch normalisation ----

extern "C" edgeq_status edgeq_batch_norm_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                             const float* gamma, const float* beta, float* running_mean,
                                             float* running_var, float* save_mean, float* save_inv_std, int32_t batch,
                                             int32_t channels, int32_t spatial, int32_t training, float momentum,
                                             float eps) {
    const char* fn = "edgeq_batch_norm_f32";
    EDGEQ_TRY(check_batch_norm_shape(fn, batch, channels, spatial));
    if (!(eps > 0.0f) || !std::isfinite(eps)) return invalid(fn, "eps = " + std::to_string(eps) + " must be finite and > 0");
    if (!std::isfinite(momentum)) return invalid(fn, "momentum = " + std::to_string(momentum) + " must be finite");
    if (training && batch == 0) return invalid(fn, "training needs a non-empty batch (batch = 0)");
    if (batch > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(require(fn, {{"gamma", gamma}, {"beta", beta}, {"running_mean", running_mean}, {"running_var", running_var}}));
    if (training) EDGEQ_TRY(require(fn, {{"save_mean", save_mean}, {"save_inv_std", save_inv_std}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::batch_norm_f32(x, y, gamma, beta, running_mean, running_var, save_mean, save_inv_std, batch,
                                  channels, spatial, training != 0, momentum, eps, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_batch_norm_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                      const float* dy, const float* gamma, const float* save_mean,
                                                      const float* save_inv_std, float* dx, float* dgamma,
                                                      float* dbeta, int32_t batch, int32_t channels,
                                                      int32_t spatial) {
    const char* fn = "edgeq_batch_norm_backward_f32";
    EDGEQ_TRY(check_batch_norm_shape(fn, batch, channels, spatial));
    if (batch > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"dy", dy}}));
    EDGEQ_TRY(require(fn, {{"gamma", gamma}, {"save_mean", save_mean}, {"save_inv_std", save_inv_std},
                           {"dgamma", dgamma}, {"dbeta", dbeta}}));
    EDGEQ_TRY(no_alias(fn, dx, "dx", x, "x"));
    EDGEQ_TRY(no_alias(fn, dx, "dx", dy, "dy"));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::batch_norm_backward_f32(x, dy, gamma, save_mean, save_inv_std, dx, dgamma, dbeta, batch, channels,
                                           spatial, as_stream(stream));
    });
}

// ---- nn: dropout ----

extern "C" edgeq_status edgeq_dropout_f32(edgeq_context* context, void* stream, const float* x, float* y, float* mask,
                                          int64_t n, float p, uint64_t seed, uint64_t offset) {
    const char* fn = "edgeq_dropout_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (!(p >= 0.0f && p <= 1.0f)) return invalid(fn, "p = " + std::to_string(p) + " not in [0, 1]");
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}, {"mask", mask}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::dropout_philox_f32(x, y, mask, n, p, seed, offset, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_mul_f32(edgeq_context* context, void* stream, const float* a, const float* b, float* y,
                                      int64_t n) {
    const char* fn = "edgeq_mul_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"a", a}, {"b", b}, {"y", y}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::mul_f32(a, b, y, n, as_stream(stream)); });
}

// ---- nn: losses ----

extern "C" edgeq_status edgeq_softmax_cross_entropy_f32(edgeq_context* context, void* stream, const float* logits,
                                                        const int32_t* labels, float* dlogits, int32_t rows,
                                                        int32_t classes, double* loss_sum, int32_t* bad_label) {
    const char* fn = "edgeq_softmax_cross_entropy_f32";
    EDGEQ_TRY(at_least(fn, "rows", rows, 0));
    EDGEQ_TRY(at_least(fn, "classes", classes, 1));
    if (rows > 0) EDGEQ_TRY(require(fn, {{"logits", logits}, {"labels", labels}}));
    EDGEQ_TRY(require(fn, {{"loss_sum", loss_sum}, {"bad_label", bad_label}}));
    EDGEQ_TRY(no_alias(fn, dlogits, "dlogits", logits, "logits"));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::softmax_cross_entropy_f32(logits, labels, dlogits, rows, classes, loss_sum, bad_label,
                                             context->scratch, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_argmax_rows_f32(edgeq_context* context, void* stream, const float* x, int32_t* out,
                                              int32_t rows, int32_t cols) {
    const char* fn = "edgeq_argmax_rows_f32";
    EDGEQ_TRY(at_least(fn, "rows", rows, 0));
    EDGEQ_TRY(at_least(fn, "cols", cols, 1));
    if (rows > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"out", out}}));
    EDGEQ_TRY(ready(fn, context));
    if (rows == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::argmax_rows_f32(x, out, rows, cols, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_mse_f32(edgeq_context* context, void* stream, const float* pred, const float* target,
                                      float* dpred, int64_t n, double* sum) {
    const char* fn = "edgeq_mse_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"pred", pred}, {"target", target}}));
    EDGEQ_TRY(require(fn, {{"sum", sum}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] { return ek::mse_f32(pred, target, dpred, n, sum, context->scratch, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_soft_target_kl_f32(edgeq_context* context, void* stream, const float* logits,
                                                 const float* teacher, float* dlogits, int32_t rows, int32_t classes,
                                                 float temperature, double* kl_sum) {
    const char* fn = "edgeq_soft_target_kl_f32";
    EDGEQ_TRY(at_least(fn, "rows", rows, 0));
    EDGEQ_TRY(at_least(fn, "classes", classes, 1));
    if (!(temperature > 0.0f) || !std::isfinite(temperature)) {
        return invalid(fn, "temperature = " + std::to_string(temperature) + " must be finite and > 0");
    }
    if (rows > 0) EDGEQ_TRY(require(fn, {{"logits", logits}, {"teacher", teacher}}));
    EDGEQ_TRY(require(fn, {{"kl_sum", kl_sum}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::soft_target_kl_f32(logits, teacher, dlogits, rows, classes, temperature, kl_sum, context->scratch,
                                      as_stream(stream));
    });
}

// ---- optimisers ----

extern "C" edgeq_status edgeq_adam_f32(edgeq_context* context, void* stream, float* param, const float* grad, float* m,
                                       float* v, const float* mask, int64_t n, float learning_rate, float beta1,
                                       float beta2, float epsilon, float weight_decay, int32_t decoupled,
                                       int32_t step) {
    const char* fn = "edgeq_adam_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (step < 1) return invalid(fn, "step = " + std::to_string(step) + " must be >= 1");
    if (!(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) {
        return invalid(fn, "beta1 = " + std::to_string(beta1) + ", beta2 = " + std::to_string(beta2) + " must lie in [0, 1)");
    }
    if (n > 0) EDGEQ_TRY(require(fn, {{"param", param}, {"grad", grad}, {"m", m}, {"v", v}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    edgeq::AdamCoefficients c = edgeq::adam_coefficients(learning_rate, beta1, beta2, epsilon, weight_decay,
                                                         decoupled != 0, step);
    return launch(fn, [&] { return ek::adam_masked_f32(param, grad, m, v, mask, n, c, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_sgd_f32(edgeq_context* context, void* stream, float* param, const float* grad,
                                      float* velocity, int64_t n, float learning_rate, float momentum,
                                      float weight_decay, int32_t nesterov) {
    const char* fn = "edgeq_sgd_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"param", param}, {"grad", grad}, {"velocity", velocity}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::sgd_f32(param, grad, velocity, n, learning_rate, momentum, weight_decay, nesterov != 0,
                           as_stream(stream));
    });
}

// ---- quantization ----

extern "C" edgeq_status edgeq_fake_quant_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n,
                                             const float* scale, const int32_t* zero_point, int32_t qmin,
                                             int32_t qmax) {
    const char* fn = "edgeq_fake_quant_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}, {"scale", scale}, {"zero_point", zero_point}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::fake_quant_per_tensor_f32(x, y, n, scale, zero_point, qmin, qmax, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_fake_quant_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                      const float* dy, float* dx, int64_t n, const float* scale,
                                                      const int32_t* zero_point, int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_backward_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"dy", dy}, {"dx", dx}, {"scale", scale}, {"zero_point", zero_point}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_ste_per_tensor_f32(x, dy, dx, n, scale, zero_point, qmin, qmax, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_lsq_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                          const float* dy, float* dx, int64_t n, const float* scale,
                                                          const int32_t* zero_point, int32_t qmin, int32_t qmax,
                                                          float grad_scale, float* dscale) {
    const char* fn = "edgeq_fake_quant_lsq_backward_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"dy", dy}}));
    EDGEQ_TRY(require(fn, {{"scale", scale}, {"zero_point", zero_point}, {"dscale", dscale}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::fake_quant_lsq_per_tensor_f32(x, dy, dx, n, scale, zero_point, qmin, qmax, grad_scale, dscale,
                                                 context->scratch, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_per_channel_f32(edgeq_context* context, void* stream, const float* x,
                                                         float* y, int64_t channels, int64_t inner,
                                                         const float* scales, const int32_t* zero_points,
                                                         int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_per_channel_f32";
    EDGEQ_TRY(check_channels(fn, channels, inner));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (channels * inner > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"y", y}, {"scales", scales}, {"zero_points", zero_points}}));
    EDGEQ_TRY(ready(fn, context));
    if (channels * inner == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_per_channel_f32(x, y, channels, inner, scales, zero_points, qmin, qmax, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_per_channel_backward_f32(edgeq_context* context, void* stream,
                                                                  const float* x, const float* dy, float* dx,
                                                                  int64_t channels, int64_t inner,
                                                                  const float* scales, const int32_t* zero_points,
                                                                  int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_per_channel_backward_f32";
    EDGEQ_TRY(check_channels(fn, channels, inner));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (channels * inner > 0) {
        EDGEQ_TRY(require(fn, {{"x", x}, {"dy", dy}, {"dx", dx}, {"scales", scales}, {"zero_points", zero_points}}));
    }
    EDGEQ_TRY(ready(fn, context));
    if (channels * inner == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_ste_per_channel_f32(x, dy, dx, channels, inner, scales, zero_points, qmin, qmax,
                                                  as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_per_channel_lsq_backward_f32(edgeq_context* context, void* stream,
                                                                      const float* x, const float* dy, float* dx,
                                                                      int64_t channels, int64_t inner,
                                                                      const float* scales, const int32_t* zero_points,
                                                                      int32_t qmin, int32_t qmax, float grad_scale,
                                                                      float* dscales) {
    const char* fn = "edgeq_fake_quant_per_channel_lsq_backward_f32";
    EDGEQ_TRY(check_channels(fn, channels, inner));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (channels * inner > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"dy", dy}}));
    if (channels > 0) EDGEQ_TRY(require(fn, {{"scales", scales}, {"zero_points", zero_points}, {"dscales", dscales}}));
    EDGEQ_TRY(ready(fn, context));
    if (channels == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_lsq_per_channel_f32(x, dy, dx, channels, inner, scales, zero_points, qmin, qmax,
                                                  grad_scale, dscales, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_min_max_f32(edgeq_context* context, void* stream, const float* x, int64_t n,
                                          float* out) {
    const char* fn = "edgeq_min_max_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(require(fn, {{"out", out}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] { return ek::min_max_f32(x, n, out, context->scratch, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_min_max_per_channel_f32(edgeq_context* context, void* stream, const float* x,
                                                      int64_t channels, int64_t inner, float* mins, float* maxs) {
    const char* fn = "edgeq_min_max_per_channel_f32";
    EDGEQ_TRY(check_channels(fn, channels, inner));
    if (channels > 0 && inner > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    if (channels > 0) EDGEQ_TRY(require(fn, {{"mins", mins}, {"maxs", maxs}}));
    EDGEQ_TRY(ready(fn, context));
    if (channels == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::min_max_per_channel_f32(x, channels, inner, mins, maxs, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_fold_extremes_f32(edgeq_context* context, void* stream, const float* x,
                                                int64_t channels, int64_t inner, float* running_mins,
                                                float* running_maxs, int32_t fold, float momentum, int32_t first) {
    const char* fn = "edgeq_fold_extremes_f32";
    EDGEQ_TRY(check_channels(fn, channels, inner));
    EDGEQ_TRY(at_least(fn, "channels", channels, 1));
    if (fold < 0 || fold > 2) return invalid(fn, "fold must be 0, 1 or 2 (RangeFold), got " + std::to_string(fold));
    if (inner > 0) EDGEQ_TRY(require(fn, {{"x", x}}));
    EDGEQ_TRY(require(fn, {{"running_mins", running_mins}, {"running_maxs", running_maxs}}));
    EDGEQ_TRY(ready(fn, context));
    return launch(fn, [&] {
        return ek::fold_extremes_f32(x, channels, inner, running_mins, running_maxs, fold, momentum, first != 0,
                                     context->scratch, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_affine_params_f32(edgeq_context* context, void* stream, const float* mins,
                                                const float* maxs, float* scales, int32_t* zero_points,
                                                int64_t channels, int32_t qmin, int32_t qmax, int32_t symmetric) {
    const char* fn = "edgeq_affine_params_f32";
    EDGEQ_TRY(at_least(fn, "channels", channels, 0));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (channels > 0) {
        EDGEQ_TRY(require(fn, {{"mins", mins}, {"maxs", maxs}, {"scales", scales}, {"zero_points", zero_points}}));
    }
    EDGEQ_TRY(ready(fn, context));
    if (channels == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::affine_params_f32(mins, maxs, scales, zero_points, channels, qmin, qmax, symmetric != 0,
                                     as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_clamp_scales_f32(edgeq_context* context, void* stream, float* scales, int64_t n,
                                               float min_scale) {
    const char* fn = "edgeq_clamp_scales_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"scales", scales}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::clamp_scales_f32(scales, n, min_scale, as_stream(stream)); });
}

// ---- pruning ----

extern "C" edgeq_status edgeq_mask_apply_f32(edgeq_context* context, void* stream, float* x, const float* mask,
                                             int64_t n) {
    const char* fn = "edgeq_mask_apply_f32";
    EDGEQ_TRY(at_least(fn, "n", n, 0));
    if (n > 0) EDGEQ_TRY(require(fn, {{"x", x}, {"mask", mask}}));
    EDGEQ_TRY(ready(fn, context));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::mask_apply_f32(x, mask, n, as_stream(stream)); });
}
