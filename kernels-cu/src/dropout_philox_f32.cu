// Inverted dropout with Philox4x32-10: each thread computes one Philox block and serves its four elements, so the
// mask for element i depends only on (seed, offset + i), like the CPU backend's.
#include "edgeq/kernels.h"
#include "edgeq/philox.cuh"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

// Thread t handles the elements of stream block (offset / 4 + t) that fall inside [0, n).
__global__ void dropout_kernel(const float* x, float* y, float* mask, int64_t n, float p, float keep, uint64_t seed,
                               uint64_t offset) {
    uint64_t first_block = offset >> 2;
    uint64_t last_block = (offset + static_cast<uint64_t>(n) - 1) >> 2;
    for (uint64_t b = first_block + blockIdx.x * static_cast<uint64_t>(blockDim.x) + threadIdx.x; b <= last_block;
         b += static_cast<uint64_t>(gridDim.x) * blockDim.x) {
        Philox4 words = philox_block_for(seed, b << 2);
#pragma unroll
        for (int lane = 0; lane < 4; ++lane) {
            uint64_t stream_index = (b << 2) + lane;
            if (stream_index < offset) continue;
            uint64_t i = stream_index - offset;
            if (i >= static_cast<uint64_t>(n)) break;
            float m = dropout_mask(philox_to_uniform(words.w[lane]), p, keep);
            mask[i] = m;
            y[i] = fmul_rn(x[i], m);
        }
    }
}

}  // namespace

cudaError_t dropout_philox_f32(const float* x, float* y, float* mask, int64_t n, float p, uint64_t seed,
                               uint64_t offset, cudaStream_t stream) {
    if (n <= 0) return cudaSuccess;
    int64_t blocks = static_cast<int64_t>(((offset + static_cast<uint64_t>(n) - 1) >> 2) - (offset >> 2) + 1);
    dropout_kernel<<<grid_for(blocks), kThreads, 0, stream>>>(x, y, mask, n, p, dropout_keep_scale(p), seed, offset);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
