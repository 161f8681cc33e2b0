// Batch normalisation over [batch, channels, spatial] f32: one block per channel (grid-stride over channels); the
// channel's batch * spatial elements are taken by thread t at t, t + kThreads, ... (flat index j = i * spatial + s),
// summed in double and combined by a fixed tree, so the statistics are deterministic. Forward: sum, then squared
// deviations from the mean (two passes, as CpuBatchNorm), then y = fma(x, scale, shift). Backward: sum(dy) and
// sum((x - mean) * dy) in one pass, then dx = fma(dy, a, fma(x, b, c)).
#include "edgeq/batch_norm.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"
#include "reduce.cuh"
#include "batch_norm_f32.cuh"

namespace edgeq::kernels {
namespace {

using namespace bn;

unsigned channel_blocks(int32_t channels) {
    return static_cast<unsigned>(channels < 65535 * 16 ? channels : 65535 * 16);
}

}  // namespace

cudaError_t batch_norm_f32(const float* x, float* y, const float* gamma, const float* beta, float* running_mean,
                           float* running_var, float* save_mean, float* save_inv_std, int32_t batch, int32_t channels,
                           int32_t spatial, bool training, float momentum, float eps, cudaStream_t stream) {
    bn_forward<<<channel_blocks(channels), kThreads, 0, stream>>>(x, y, gamma, beta, running_mean, running_var,
                                                                  save_mean, save_inv_std, batch, channels, spatial,
                                                                  training ? 1 : 0, momentum, eps);
    return cudaGetLastError();
}

cudaError_t batch_norm_backward_f32(const float* x, const float* dy, const float* gamma, const float* save_mean,
                                    const float* save_inv_std, float* dx, float* dgamma, float* dbeta, int32_t batch,
                                    int32_t channels, int32_t spatial, cudaStream_t stream) {
    bn_backward<<<channel_blocks(channels), kThreads, 0, stream>>>(x, dy, gamma, save_mean, save_inv_std, dx, dgamma,
                                                                   dbeta, batch, channels, spatial);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
