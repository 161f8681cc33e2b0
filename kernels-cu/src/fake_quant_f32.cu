// Fake-quant forward, straight-through backward and LSQ backward, per tensor and per channel, over f32.
// Per-tensor kernels load float4 when every pointer is 16-byte aligned, then finish the tail element by element.
// Per-tensor kernels read their scale and zero point from device memory (one element each), where a QAT step's
// observer kernels (observer_f32.cu) left them, so the host never has to see them.
#include "edgeq/fake_quant.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"
#include "reduce.cuh"

namespace edgeq::kernels {
namespace {

// The scale, its reciprocal and the code range of a per-tensor kernel, from device memory.
struct TensorParams {
    float s;
    float inv;
    CodeRange r;
};

__device__ TensorParams tensor_params(const float* scale, const int32_t* zero_point, int32_t qmin, int32_t qmax) {
    float s = *scale;
    return TensorParams{s, reciprocal(s), code_range(*zero_point, qmin, qmax)};
}

__global__ void fake_quant_vec4(const float4* x, float4* y, int64_t n4, const float* scale, const int32_t* zp,
                                int32_t qmin, int32_t qmax) {
    TensorParams p = tensor_params(scale, zp, qmin, qmax);
    float s = p.s, inv = p.inv;
    CodeRange r = p.r;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float4 v = x[i];
        y[i] = make_float4(fake_quant_value(v.x, s, inv, r), fake_quant_value(v.y, s, inv, r),
                           fake_quant_value(v.z, s, inv, r), fake_quant_value(v.w, s, inv, r));
    }
}

__global__ void fake_quant_scalar(const float* x, float* y, int64_t from, int64_t n, const float* scale,
                                  const int32_t* zp, int32_t qmin, int32_t qmax) {
    TensorParams p = tensor_params(scale, zp, qmin, qmax);
    float s = p.s, inv = p.inv;
    CodeRange r = p.r;
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = fake_quant_value(x[i], s, inv, r);
    }
}

__global__ void ste_vec4(const float4* x, const float4* dy, float4* dx, int64_t n4, const float* scale,
                         const int32_t* zp, int32_t qmin, int32_t qmax) {
    TensorParams p = tensor_params(scale, zp, qmin, qmax);
    float inv = p.inv;
    CodeRange r = p.r;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float4 v = x[i], g = dy[i];
        dx[i] = make_float4(ste_gradient(v.x, g.x, inv, r), ste_gradient(v.y, g.y, inv, r),
                            ste_gradient(v.z, g.z, inv, r), ste_gradient(v.w, g.w, inv, r));
    }
}

__global__ void ste_scalar(const float* x, const float* dy, float* dx, int64_t from, int64_t n, const float* scale,
                           const int32_t* zp, int32_t qmin, int32_t qmax) {
    TensorParams p = tensor_params(scale, zp, qmin, qmax);
    float inv = p.inv;
    CodeRange r = p.r;
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        dx[i] = ste_gradient(x[i], dy[i], inv, r);
    }
}

// Sum of every thread's value in a block of kThreads, by halving in shared memory: a fixed order, so the same
// inputs give the same bits. Ends with a barrier, so the caller may reuse `partial` straight away.
__device__ double block_sum(double value, double* partial) {
    return block_reduce(value, partial, AddDouble{});
}

// dx (optional) and this block's double sum of dy * slope on the fixed reduction grid (reduce.cuh); lsq_finish
// adds the blocks' partials in a fixed order, so the sum is the same on every run and every device.
__global__ void __launch_bounds__(kThreads) lsq_scalar(const float* x, const float* dy, float* dx, double* partials,
                                                       int64_t n, const float* scale, const int32_t* zp, int32_t qmin,
                                                       int32_t qmax) {
    __shared__ double partial[kThreads];
    TensorParams p = tensor_params(scale, zp, qmin, qmax);
    float inv = p.inv;
    CodeRange r = p.r;
    double acc = 0.0;
    for (int64_t i = reduce_first(); i < n; i += reduce_stride()) {
        float xi = x[i], g = dy[i];
        if (dx != nullptr) dx[i] = ste_gradient(xi, g, inv, r);
        acc += static_cast<double>(g) * lsq_slope(xi, inv, r);
    }
    double total = block_sum(acc, partial);
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// dscale[0] = grad_scale * the blocks' sum, rounded once to float as the per-channel kernel and the CPU do.
__global__ void __launch_bounds__(kThreads) lsq_finish(const double* partials, float grad_scale, float* dscale) {
    __shared__ double shared[kThreads];
    double total = combine_partials(partials, 0.0, shared, AddDouble{});
    if (threadIdx.x == 0) *dscale = static_cast<float>(static_cast<double>(grad_scale) * total);
}

// One grid row per channel (grid-stride over channels in y), grid-stride over the channel's elements in x.
__global__ void fake_quant_channels(const float* x, float* y, int64_t channels, int64_t inner,
                                    const float* scales, const int32_t* zps, int32_t qmin,
                                    int32_t qmax) {
    for (int64_t c = blockIdx.y; c < channels; c += gridDim.y) {
        float s = scales[c];
        float inv = reciprocal(s);
        CodeRange r = code_range(zps[c], qmin, qmax);
        const float* xc = x + c * inner;
        float* yc = y + c * inner;
        for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < inner;
             i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
            yc[i] = fake_quant_value(xc[i], s, inv, r);
        }
    }
}

__global__ void ste_channels(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                             const float* scales, const int32_t* zps, int32_t qmin,
                             int32_t qmax) {
    for (int64_t c = blockIdx.y; c < channels; c += gridDim.y) {
        float inv = reciprocal(scales[c]);
        CodeRange r = code_range(zps[c], qmin, qmax);
        for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < inner;
             i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
            int64_t at = c * inner + i;
            dx[at] = ste_gradient(x[at], dy[at], inv, r);
        }
    }
}

// One block per channel (grid-stride over channels): dx (optional) and dscales[c] = grad_scale * sum over the
// channel of dy * slope, reduced in double in a fixed order, so the result is deterministic run to run.
__global__ void lsq_channels(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                             const float* scales, const int32_t* zps, int32_t qmin, int32_t qmax, float grad_scale,
                             float* dscales) {
    __shared__ double partial[kThreads];
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        float inv = reciprocal(scales[c]);
        CodeRange r = code_range(zps[c], qmin, qmax);
        double acc = 0.0;
        for (int64_t i = threadIdx.x; i < inner; i += blockDim.x) {
            int64_t at = c * inner + i;
            float xi = x[at], g = dy[at];
            if (dx != nullptr) dx[at] = ste_gradient(xi, g, inv, r);
            acc += static_cast<double>(g) * lsq_slope(xi, inv, r);
        }
        double total = block_sum(acc, partial);
        if (threadIdx.x == 0) dscales[c] = static_cast<float>(static_cast<double>(grad_scale) * total);
    }
}

dim3 channel_grid(int64_t channels, int64_t inner) {
    int64_t bx = (inner + kThreads - 1) / kThreads;
    bx = bx < 1 ? 1 : (bx > 1024 ? 1024 : bx);
    int64_t by = channels < 1 ? 1 : (channels > 65535 ? 65535 : channels);
    return dim3(static_cast<unsigned>(bx), static_cast<unsigned>(by));
}

}  // namespace

cudaError_t fake_quant_per_tensor_f32(const float* x, float* y, int64_t n, const float* scale,
                                      const int32_t* zero_point, int32_t qmin, int32_t qmax, cudaStream_t stream) {
    int64_t from = 0;
    if (aligned16(x) && aligned16(y) && n >= 4) {
        int64_t n4 = n / 4;
        fake_quant_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const float4*>(x),
                                                              reinterpret_cast<float4*>(y), n4, scale, zero_point,
                                                              qmin, qmax);
        from = n4 * 4;
    }
    if (from < n) {
        fake_quant_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(x, y, from, n, scale, zero_point, qmin, qmax);
    }
    return cudaGetLastError();
}

cudaError_t fake_quant_ste_per_tensor_f32(const float* x, const float* dy, float* dx, int64_t n, const float* scale,
                                          const int32_t* zero_point, int32_t qmin, int32_t qmax, cudaStream_t stream) {
    int64_t from = 0;
    if (aligned16(x) && aligned16(dy) && aligned16(dx) && n >= 4) {
        int64_t n4 = n / 4;
        ste_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const float4*>(x),
                                                       reinterpret_cast<const float4*>(dy),
                                                       reinterpret_cast<float4*>(dx), n4, scale, zero_point, qmin,
                                                       qmax);
        from = n4 * 4;
    }
    if (from < n) {
        ste_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(x, dy, dx, from, n, scale, zero_point, qmin, qmax);
    }
    return cudaGetLastError();
}

cudaError_t fake_quant_lsq_per_tensor_f32(const float* x, const float* dy, float* dx, int64_t n, const float* scale,
                                          const int32_t* zero_point, int32_t qmin, int32_t qmax, float grad_scale,
                                          float* dscale, void* scratch, cudaStream_t stream) {
    auto* partials = static_cast<double*>(scratch);
    lsq_scalar<<<kReduceBlocks, kThreads, 0, stream>>>(x, dy, dx, partials, n, scale, zero_point, qmin, qmax);
    lsq_finish<<<1, kThreads, 0, stream>>>(partials, grad_scale, dscale);
    return cudaGetLastError();
}

cudaError_t fake_quant_per_channel_f32(const float* x, float* y, int64_t channels, int64_t inner, const float* scales,
                                       const int32_t* zero_points, int32_t qmin, int32_t qmax, cudaStream_t stream) {
    fake_quant_channels<<<channel_grid(channels, inner), kThreads, 0, stream>>>(x, y, channels, inner, scales,
                                                                               zero_points, qmin, qmax);
    return cudaGetLastError();
}

cudaError_t fake_quant_ste_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin,
                                           int32_t qmax, cudaStream_t stream) {
    ste_channels<<<channel_grid(channels, inner), kThreads, 0, stream>>>(x, dy, dx, channels, inner, scales,
                                                                        zero_points, qmin, qmax);
    return cudaGetLastError();
}

cudaError_t fake_quant_lsq_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin, int32_t qmax,
                                           float grad_scale, float* dscales, cudaStream_t stream) {
    unsigned grid = static_cast<unsigned>(channels < 65535 * 16 ? channels : 65535 * 16);
    lsq_channels<<<grid, kThreads, 0, stream>>>(x, dy, dx, channels, inner, scales, zero_points, qmin, qmax,
                                                grad_scale, dscales);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
