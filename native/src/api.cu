// The C entry points: argument checks, device selection and kernel launches on the caller's stream.
#include <climits>
#include <cmath>
#include <dlfcn.h>
#include <exception>
#include <new>
#include <string>

#include "edgeq.h"
#include "edgeq/kernels.h"
#include "errors.h"

struct edgeq_context {
    int32_t device;
    int32_t compute_capability;  // major * 10 + minor
};

namespace {

using edgeq::abi::check_cuda;
using edgeq::abi::fail;

edgeq_status invalid(const char* function, const std::string& message) {
    return fail(EDGEQ_ERROR_INVALID_ARGUMENT, function, message);
}

cudaStream_t as_stream(void* stream) {
    return static_cast<cudaStream_t>(stream);
}

// Common checks of an element-wise call: a context, a non-negative count and, when n > 0, non-null pointers;
// then makes the context's device current.
edgeq_status begin(const char* function, edgeq_context* context, int64_t n,
                   std::initializer_list<std::pair<const char*, const void*>> pointers) {
    if (context == nullptr) return invalid(function, "context is NULL");
    if (n < 0) return invalid(function, "n = " + std::to_string(n) + " must be >= 0");
    if (n > 0) {
        for (const auto& [name, p] : pointers) {
            if (p == nullptr) return invalid(function, std::string(name) + " is NULL");
        }
    }
    return check_cuda(cudaSetDevice(context->device), function);
}

edgeq_status check_scale(const char* function, float scale) {
    if (!(scale > 0.0f) || !std::isfinite(scale)) {
        return invalid(function, "scale = " + std::to_string(scale) + " must be finite and > 0");
    }
    return EDGEQ_OK;
}

edgeq_status check_range(const char* function, int32_t qmin, int32_t qmax) {
    if (qmin > qmax) return invalid(function, "qmin = " + std::to_string(qmin) + " > qmax = " + std::to_string(qmax));
    return EDGEQ_OK;
}

// Runs body() (which returns a cudaError_t), converting CUDA errors and C++ exceptions to statuses.
template <typename Body>
edgeq_status launch(const char* function, Body body) {
    try {
        return check_cuda(body(), function);
    } catch (const std::bad_alloc&) {
        return fail(EDGEQ_ERROR_OUT_OF_MEMORY, function, "host allocation failed");
    } catch (const std::exception& e) {
        return fail(EDGEQ_ERROR_INTERNAL, function, e.what());
    } catch (...) {
        return fail(EDGEQ_ERROR_INTERNAL, function, "unknown exception");
    }
}

#define EDGEQ_TRY(expr)                        \
    do {                                       \
        edgeq_status edgeq_status_ = (expr);   \
        if (edgeq_status_ != EDGEQ_OK) return edgeq_status_; \
    } while (0)

}  // namespace

namespace ek = edgeq::kernels;

extern "C" edgeq_status edgeq_device_count(int32_t* count) {
    const char* fn = "edgeq_device_count";
    if (count == nullptr) return invalid(fn, "count is NULL");
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
    if (out == nullptr) return invalid(fn, "out is NULL");
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
    auto* context = new (std::nothrow) edgeq_context{device, major * 10 + minor};
    if (context == nullptr) return fail(EDGEQ_ERROR_OUT_OF_MEMORY, fn, "host allocation failed");
    *out = context;
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_context_destroy(edgeq_context* context) {
    delete context;
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_context_compute_capability(const edgeq_context* context, int32_t* out) {
    const char* fn = "edgeq_context_compute_capability";
    if (context == nullptr) return invalid(fn, "context is NULL");
    if (out == nullptr) return invalid(fn, "out is NULL");
    *out = context->compute_capability;
    return EDGEQ_OK;
}

extern "C" edgeq_status edgeq_stream_synchronize(edgeq_context* context, void* stream) {
    const char* fn = "edgeq_stream_synchronize";
    EDGEQ_TRY(begin(fn, context, 0, {}));
    return check_cuda(cudaStreamSynchronize(as_stream(stream)), fn);
}

extern "C" edgeq_status edgeq_fake_quant_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n,
                                             float scale, int32_t zero_point, int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(check_scale(fn, scale));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::fake_quant_per_tensor_f32(x, y, n, scale, zero_point, qmin, qmax, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_fake_quant_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                      const float* dy, float* dx, int64_t n, float scale,
                                                      int32_t zero_point, int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_backward_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"dy", dy}, {"dx", dx}}));
    EDGEQ_TRY(check_scale(fn, scale));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_ste_per_tensor_f32(x, dy, dx, n, scale, zero_point, qmin, qmax, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_lsq_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                          const float* dy, float* dx, double* dscale_sum, int64_t n,
                                                          float scale, int32_t zero_point, int32_t qmin,
                                                          int32_t qmax) {
    const char* fn = "edgeq_fake_quant_lsq_backward_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"dy", dy}}));
    if (dscale_sum == nullptr) return invalid(fn, "dscale_sum is NULL");
    EDGEQ_TRY(check_scale(fn, scale));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    return launch(fn, [&] {
        cudaError_t e = cudaMemsetAsync(dscale_sum, 0, sizeof(double), as_stream(stream));
        if (e != cudaSuccess || n == 0) return e;
        return ek::fake_quant_lsq_per_tensor_f32(x, dy, dx, dscale_sum, n, scale, zero_point, qmin, qmax,
                                                 as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_fake_quant_per_channel_f32(edgeq_context* context, void* stream, const float* x,
                                                         float* y, int64_t channels, int64_t inner,
                                                         const float* scales, const int32_t* zero_points,
                                                         int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_fake_quant_per_channel_f32";
    if (channels < 0 || inner < 0) {
        return invalid(fn, "channels = " + std::to_string(channels) + ", inner = " + std::to_string(inner) + " must be >= 0");
    }
    EDGEQ_TRY(begin(fn, context, channels * inner, {{"x", x}, {"y", y}, {"scales", scales}, {"zero_points", zero_points}}));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
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
    if (channels < 0 || inner < 0) {
        return invalid(fn, "channels = " + std::to_string(channels) + ", inner = " + std::to_string(inner) + " must be >= 0");
    }
    EDGEQ_TRY(begin(fn, context, channels * inner,
                    {{"x", x}, {"dy", dy}, {"dx", dx}, {"scales", scales}, {"zero_points", zero_points}}));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
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
    if (channels < 0 || inner < 0) {
        return invalid(fn, "channels = " + std::to_string(channels) + ", inner = " + std::to_string(inner) + " must be >= 0");
    }
    EDGEQ_TRY(begin(fn, context, channels * inner, {{"x", x}, {"dy", dy}}));
    if (channels > 0) {
        for (const auto& [name, p] : {std::pair<const char*, const void*>{"scales", scales}, {"zero_points", zero_points}, {"dscales", dscales}}) {
            if (p == nullptr) return invalid(fn, std::string(name) + " is NULL");
        }
    }
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (channels == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::fake_quant_lsq_per_channel_f32(x, dy, dx, channels, inner, scales, zero_points, qmin, qmax,
                                                  grad_scale, dscales, as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_quantize_f32_i8(edgeq_context* context, void* stream, const float* x, int8_t* q,
                                              int64_t n, float scale, int32_t zero_point, int32_t qmin, int32_t qmax) {
    const char* fn = "edgeq_quantize_f32_i8";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"q", q}}));
    EDGEQ_TRY(check_scale(fn, scale));
    EDGEQ_TRY(check_range(fn, qmin, qmax));
    if (qmin < -128 || qmax > 127) {
        return invalid(fn, "[qmin, qmax] = [" + std::to_string(qmin) + ", " + std::to_string(qmax) + "] must lie in [-128, 127]");
    }
    if (zero_point < qmin || zero_point > qmax) return invalid(fn, "zero_point = " + std::to_string(zero_point) + " outside [qmin, qmax]");
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::quantize_per_tensor_f32_i8(x, q, n, scale, zero_point, qmin, qmax, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_dequantize_i8_f32(edgeq_context* context, void* stream, const int8_t* q, float* y,
                                                int64_t n, float scale, int32_t zero_point) {
    const char* fn = "edgeq_dequantize_i8_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"q", q}, {"y", y}}));
    EDGEQ_TRY(check_scale(fn, scale));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::dequantize_per_tensor_i8_f32(q, y, n, scale, zero_point, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_dropout_f32(edgeq_context* context, void* stream, const float* x, float* y, float* mask,
                                          int64_t n, float p, uint64_t seed, uint64_t offset) {
    const char* fn = "edgeq_dropout_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"y", y}, {"mask", mask}}));
    if (!(p >= 0.0f && p <= 1.0f)) return invalid(fn, "p = " + std::to_string(p) + " not in [0, 1]");
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::dropout_philox_f32(x, y, mask, n, p, seed, offset, as_stream(stream)); });
}

namespace {
edgeq_status check_codebook(const char* function, const float* points, int32_t count) {
    if (points == nullptr) return invalid(function, "points is NULL");
    if (count < 1 || count > 16384) return invalid(function, "count = " + std::to_string(count) + " not in [1, 16384]");
    return EDGEQ_OK;
}
}  // namespace

extern "C" edgeq_status edgeq_landmark_nearest_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                                   int64_t n, const float* points, int32_t count) {
    const char* fn = "edgeq_landmark_nearest_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(check_codebook(fn, points, count));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::landmark_nearest_f32(x, y, n, points, count, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_landmark_stochastic_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                                      int64_t n, const float* points, int32_t count, uint64_t seed,
                                                      uint64_t offset) {
    const char* fn = "edgeq_landmark_stochastic_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"y", y}}));
    EDGEQ_TRY(check_codebook(fn, points, count));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::landmark_stochastic_f32(x, y, n, points, count, seed, offset, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_adam_f32(edgeq_context* context, void* stream, float* param, const float* grad, float* m,
                                       float* v, const float* mask, int64_t n, float learning_rate, float beta1,
                                       float beta2, float epsilon, float weight_decay, int32_t decoupled,
                                       int32_t step) {
    const char* fn = "edgeq_adam_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"param", param}, {"grad", grad}, {"m", m}, {"v", v}}));
    if (step < 1) return invalid(fn, "step = " + std::to_string(step) + " must be >= 1");
    if (!(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) {
        return invalid(fn, "beta1 = " + std::to_string(beta1) + ", beta2 = " + std::to_string(beta2) + " must lie in [0, 1)");
    }
    if (n == 0) return EDGEQ_OK;
    edgeq::AdamCoefficients c = edgeq::adam_coefficients(learning_rate, beta1, beta2, epsilon, weight_decay,
                                                         decoupled != 0, step);
    return launch(fn, [&] { return ek::adam_masked_f32(param, grad, m, v, mask, n, c, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_mask_apply_f32(edgeq_context* context, void* stream, float* x, const float* mask,
                                             int64_t n) {
    const char* fn = "edgeq_mask_apply_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"mask", mask}}));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::mask_apply_f32(x, mask, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_relu_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n) {
    const char* fn = "edgeq_relu_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"x", x}, {"y", y}}));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::relu_f32(x, y, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_relu_backward_f32(edgeq_context* context, void* stream, const float* y, const float* dy,
                                                float* dx, int64_t n) {
    const char* fn = "edgeq_relu_backward_f32";
    EDGEQ_TRY(begin(fn, context, n, {{"y", y}, {"dy", dy}, {"dx", dx}}));
    if (n == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::relu_backward_f32(y, dy, dx, n, as_stream(stream)); });
}

extern "C" edgeq_status edgeq_add_row_vector_f32(edgeq_context* context, void* stream, float* x, const float* bias,
                                                 int64_t rows, int64_t cols) {
    const char* fn = "edgeq_add_row_vector_f32";
    if (rows < 0 || cols < 0) {
        return invalid(fn, "rows = " + std::to_string(rows) + ", cols = " + std::to_string(cols) + " must be >= 0");
    }
    EDGEQ_TRY(begin(fn, context, rows * cols, {{"x", x}, {"bias", bias}}));
    if (rows * cols == 0) return EDGEQ_OK;
    return launch(fn, [&] { return ek::add_row_vector_f32(x, bias, rows, cols, as_stream(stream)); });
}

namespace {

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

}  // namespace

extern "C" edgeq_status edgeq_max_pool2d_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                             int32_t* argmax, int32_t batch, int32_t channels, int32_t height,
                                             int32_t width, int32_t window, int32_t stride) {
    const char* fn = "edgeq_max_pool2d_f32";
    EDGEQ_TRY(check_pool(fn, batch, channels, height, width, window, stride));
    EDGEQ_TRY(begin(fn, context, batch, {{"x", x}, {"y", y}, {"argmax", argmax}}));
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
    EDGEQ_TRY(begin(fn, context, batch, {{"dy", dy}, {"argmax", argmax}, {"dx", dx}}));
    if (batch == 0) return EDGEQ_OK;
    return launch(fn, [&] {
        return ek::max_pool2d_backward_f32(dy, argmax, dx, batch, channels, height, width, window, stride,
                                           as_stream(stream));
    });
}

namespace {

// Checks shared by the int8 GEMMs; min_cc is the compute capability (major * 10 + minor) the path needs.
edgeq_status check_gemm_i8(const char* fn, const edgeq_context* context, const int8_t* a, const int8_t* b,
                           const int32_t* c32, const int8_t* c8, int32_t m, int32_t n, int32_t k,
                           const int32_t* multipliers, const int32_t* shifts, int32_t min_cc, const char* what) {
    if (c32 == nullptr && c8 == nullptr) return invalid(fn, "c32 and c8 are both NULL");
    if (k > 0 && (a == nullptr || b == nullptr)) return invalid(fn, "a or b is NULL");
    if (c8 != nullptr && (multipliers == nullptr || shifts == nullptr)) {
        return invalid(fn, "c8 needs multipliers and shifts (multiplier > 0, shift in 1..62)");
    }
    if ((m + 63) / 64 > 65535) return invalid(fn, "m = " + std::to_string(m) + " exceeds 65535 * 64 rows");
    (void) n;
    if (context->compute_capability < min_cc) {
        return fail(EDGEQ_ERROR_UNSUPPORTED, fn, std::string(what) + " needs compute capability >= " +
                                                     std::to_string(min_cc / 10) + "." + std::to_string(min_cc % 10) +
                                                     ", device has " + std::to_string(context->compute_capability / 10) +
                                                     "." + std::to_string(context->compute_capability % 10));
    }
    return EDGEQ_OK;
}

edgeq_status check_dims(const char* fn, int32_t m, int32_t n, int32_t k) {
    if (m < 0 || n < 0 || k < 0) {
        return invalid(fn, "m, n, k = " + std::to_string(m) + ", " + std::to_string(n) + ", " + std::to_string(k) +
                               " must be >= 0");
    }
    return EDGEQ_OK;
}

}  // namespace

extern "C" edgeq_status edgeq_gemm_i8_i32(edgeq_context* context, void* stream, const int8_t* a, const int8_t* b,
                                         int32_t* c32, int8_t* c8, int32_t m, int32_t n, int32_t k,
                                         const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                                         int32_t out_zero_point) {
    const char* fn = "edgeq_gemm_i8_i32";
    EDGEQ_TRY(check_dims(fn, m, n, k));
    int64_t work = static_cast<int64_t>(m) * n;
    EDGEQ_TRY(begin(fn, context, work, {}));
    if (work == 0) return EDGEQ_OK;
    EDGEQ_TRY(check_gemm_i8(fn, context, a, b, c32, c8, m, n, k, multipliers, shifts, 61, "dp4a"));
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
    EDGEQ_TRY(check_dims(fn, m, n, k));
    int64_t work = static_cast<int64_t>(m) * n;
    EDGEQ_TRY(begin(fn, context, work, {}));
    if (work == 0) return EDGEQ_OK;
    EDGEQ_TRY(check_gemm_i8(fn, context, a, b, c32, c8, m, n, k, multipliers, shifts, 72, "int8 WMMA"));
    return launch(fn, [&] {
        return ek::gemm_i8_i32_wmma(a, b, c32, c8, m, n, k, bias, multipliers, shifts, out_zero_point,
                                    as_stream(stream));
    });
}

extern "C" edgeq_status edgeq_gemm_f16_f32(edgeq_context* context, void* stream, const uint16_t* a, const uint16_t* b,
                                          float* c, int32_t m, int32_t n, int32_t k, float alpha, float beta) {
    const char* fn = "edgeq_gemm_f16_f32";
    EDGEQ_TRY(check_dims(fn, m, n, k));
    int64_t work = static_cast<int64_t>(m) * n;
    EDGEQ_TRY(begin(fn, context, work, {{"c", c}}));
    if (work == 0) return EDGEQ_OK;
    if (k > 0 && (a == nullptr || b == nullptr)) return invalid(fn, "a or b is NULL");
    if ((m + 63) / 64 > 65535) return invalid(fn, "m = " + std::to_string(m) + " exceeds 65535 * 64 rows");
    if (context->compute_capability < 70) {
        return fail(EDGEQ_ERROR_UNSUPPORTED, fn, "fp16 WMMA needs compute capability >= 7.0, device has " +
                                                     std::to_string(context->compute_capability / 10) + "." +
                                                     std::to_string(context->compute_capability % 10));
    }
    return launch(fn, [&] { return ek::gemm_f16_f32_wmma(a, b, c, m, n, k, alpha, beta, as_stream(stream)); });
}
