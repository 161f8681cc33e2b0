// Softmax cross-entropy, soft-target KL divergence, row argmax and mean squared error over f32.
// The row losses run one warp per row on the fixed reduction grid of reduce.cuh (warp w of the grid takes rows
// w, w + W, ... with W = kReduceBlocks * 8): the row's max by shuffles (Java's max is order-independent), its sums
// in double by a fixed shuffle-down tree whose lane-0 result is broadcast, the warp's rows added in row order, the
// block's eight warps in warp order, the blocks' partials by one block. Everything depends on rows and classes only.
#include <climits>

#include "edgeq/kernels.h"
#include "edgeq/losses.cuh"
#include "launch.cuh"
#include "reduce.cuh"
#include "losses_f32.cuh"

namespace edgeq::kernels {
namespace {

using namespace losses;

double* double_partials(void* scratch) {
    return static_cast<double*>(scratch);
}

int* int_partials(void* scratch) {
    return reinterpret_cast<int*>(static_cast<char*>(scratch) + kReduceBlocks * sizeof(double));
}

}  // namespace

cudaError_t softmax_cross_entropy_f32(const float* logits, const int32_t* labels, float* dlogits, int32_t rows,
                                      int32_t classes, double* loss_sum, int32_t* bad_label, void* scratch,
                                      cudaStream_t stream) {
    softmax_ce_rows<<<kReduceBlocks, kThreads, 0, stream>>>(logits, labels, dlogits, rows, classes, ce_inv_rows(rows),
                                                            double_partials(scratch), int_partials(scratch));
    rows_finish<<<1, kThreads, 0, stream>>>(double_partials(scratch), int_partials(scratch), loss_sum, bad_label);
    return cudaGetLastError();
}

cudaError_t soft_target_kl_f32(const float* logits, const float* teacher, float* dlogits, int32_t rows,
                               int32_t classes, float temperature, double* kl_sum, void* scratch, cudaStream_t stream) {
    double inv_t = 1.0 / static_cast<double>(temperature);
    kl_rows<<<kReduceBlocks, kThreads, 0, stream>>>(logits, teacher, dlogits, rows, classes, inv_t,
                                                    kl_grad_scale(temperature, rows), double_partials(scratch));
    rows_finish<<<1, kThreads, 0, stream>>>(double_partials(scratch), nullptr, kl_sum, nullptr);
    return cudaGetLastError();
}

cudaError_t argmax_rows_f32(const float* x, int32_t* out, int32_t rows, int32_t cols, cudaStream_t stream) {
    int64_t blocks = (static_cast<int64_t>(rows) + kWarps - 1) / kWarps;
    unsigned grid = static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
    argmax_rows_kernel<<<grid, kThreads, 0, stream>>>(x, out, rows, cols);
    return cudaGetLastError();
}

cudaError_t mse_f32(const float* pred, const float* target, float* dpred, int64_t n, double* sum, void* scratch,
                    cudaStream_t stream) {
    float scale = n > 0 ? mse_grad_scale(n) : 0.0f;
    mse_partials<<<kReduceBlocks, kThreads, 0, stream>>>(pred, target, dpred, n, scale, double_partials(scratch));
    rows_finish<<<1, kThreads, 0, stream>>>(double_partials(scratch), nullptr, sum, nullptr);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
