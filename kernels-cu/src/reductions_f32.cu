// Reductions over f32: sum and sum of squares in double, the finiteness test, min/max of a tensor (fixed grid of
// partials in scratch, then one block: see reduce.cuh), per-channel min/max (one block per channel), the observer
// step that folds either into a running range (edgeq/observer.cuh) and column sums
// (one block per 32 columns, rows split over a fixed number of lanes).
#include "edgeq/elementwise.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"
#include "reduce.cuh"
#include "reductions_f32.cuh"

namespace edgeq::kernels {
namespace {

using namespace reductions;

}  // namespace

cudaError_t sum_f64(const float* x, int64_t n, bool squares, double* out, void* scratch, cudaStream_t stream) {
    auto* partials = static_cast<double*>(scratch);
    sum_partials<<<kReduceBlocks, kThreads, 0, stream>>>(x, n, squares ? 1 : 0, partials);
    sum_finish<<<1, kThreads, 0, stream>>>(partials, out);
    return cudaGetLastError();
}

cudaError_t all_finite_f32(const float* x, int64_t n, int32_t* out, void* scratch, cudaStream_t stream) {
    auto* partials = static_cast<int*>(scratch);
    finite_partials<<<kReduceBlocks, kThreads, 0, stream>>>(x, n, partials);
    finite_finish<<<1, kThreads, 0, stream>>>(partials, out);
    return cudaGetLastError();
}

cudaError_t min_max_f32(const float* x, int64_t n, float* out, void* scratch, cudaStream_t stream) {
    auto* partials = static_cast<float2*>(scratch);
    min_max_partials<<<kReduceBlocks, kThreads, 0, stream>>>(x, n, partials);
    min_max_finish<<<1, kThreads, 0, stream>>>(partials, out);
    return cudaGetLastError();
}

cudaError_t min_max_per_channel_f32(const float* x, int64_t channels, int64_t inner, float* mins, float* maxs,
                                    cudaStream_t stream) {
    unsigned grid = static_cast<unsigned>(channels < 65535 * 16 ? channels : 65535 * 16);
    min_max_channels<<<grid, kThreads, 0, stream>>>(x, channels, inner, mins, maxs);
    return cudaGetLastError();
}

cudaError_t fold_extremes_f32(const float* x, int64_t channels, int64_t inner, float* running_mins,
                              float* running_maxs, int32_t fold, float momentum, bool first, void* scratch,
                              cudaStream_t stream) {
    if (channels == 1) {
        auto* partials = static_cast<float2*>(scratch);
        min_max_partials<<<kReduceBlocks, kThreads, 0, stream>>>(x, inner, partials);
        fold_extremes_finish<<<1, kThreads, 0, stream>>>(partials, running_mins, running_maxs, fold, momentum, first);
    } else {
        unsigned grid = static_cast<unsigned>(channels < 65535 * 16 ? channels : 65535 * 16);
        fold_extremes_channels<<<grid, kThreads, 0, stream>>>(x, channels, inner, running_mins, running_maxs, fold,
                                                              momentum, first);
    }
    return cudaGetLastError();
}

cudaError_t sum_rows_f32(const float* x, float* out, int64_t rows, int64_t cols, float beta, cudaStream_t stream) {
    int64_t groups = (cols + 31) / 32;
    unsigned grid = static_cast<unsigned>(groups < 65535 * 16 ? groups : 65535 * 16);
    sum_rows_kernel<<<grid, dim3(32, kRowLanes), 0, stream>>>(x, out, rows, cols, beta);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
