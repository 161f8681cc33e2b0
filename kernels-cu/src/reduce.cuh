// Deterministic reductions: a fixed grid (kReduceBlocks x kThreads, the same on every device) where thread t of
// block b takes elements b * kThreads + t + k * kReduceBlocks * kThreads, a fixed-shape tree in each block, the
// block's partial in the context's scratch, then one block that combines the partials in a fixed order. The
// rounding of every sum therefore depends on n only: the same bits on every run and every GPU.
#pragma once

#include <cstdint>

#include "launch.cuh"

namespace edgeq::kernels {

constexpr int kReduceBlocks = 1024;

__device__ __forceinline__ int64_t reduce_first() {
    return blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
}

__device__ __forceinline__ int64_t reduce_stride() {
    return static_cast<int64_t>(gridDim.x) * blockDim.x;
}

// Combines every thread's value in a block of kThreads by halving in shared memory (fixed order). Every thread gets
// the total; ends with a barrier so `shared` may be reused at once.
template <typename T, typename Op>
__device__ T block_reduce(T value, T* shared, Op op) {
    shared[threadIdx.x] = value;
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half >>= 1) {
        if (static_cast<int>(threadIdx.x) < half) shared[threadIdx.x] = op(shared[threadIdx.x], shared[threadIdx.x + half]);
        __syncthreads();
    }
    T total = shared[0];
    __syncthreads();
    return total;
}

struct AddDouble {
    __device__ double operator()(double a, double b) const { return __dadd_rn(a, b); }
};

// The second stage: one block of kThreads; thread t combines partials t * per .. t * per + per - 1 in index order,
// then the block tree combines the threads. kReduceBlocks is a multiple of kThreads.
template <typename T, typename Op>
__device__ T combine_partials(const T* partials, T identity, T* shared, Op op) {
    constexpr int per = kReduceBlocks / kThreads;
    T acc = identity;
    for (int i = 0; i < per; ++i) acc = op(acc, partials[threadIdx.x * per + i]);
    return block_reduce(acc, shared, op);
}

static_assert(kReduceBlocks % kThreads == 0, "combine_partials splits the partials evenly");

}  // namespace edgeq::kernels
