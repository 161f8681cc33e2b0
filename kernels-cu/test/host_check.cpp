// Host build of the kernel formula headers, driven by text records for the Java golden-vector test
// (org.edgeq.backend.cuda.KernelFormulasHostTest). One record per input line, one result line per record.
// Integers are decimal or 0x-hex; floats travel as their IEEE bits in 0x-hex, so nothing is lost to printing.
//
//   fq X S Z QMIN QMAX                 -> Y STE SLOPE           fake_quant_value, ste_passes, lsq_slope
//   philox SEED INDEX                  -> WORD U                philox_word, philox_uniform
//   dropout SEED INDEX P X             -> MASK Y                dropout_mask(philox_uniform(SEED, INDEX)), x * mask
//   requant ACC BIAS MULT SHIFT ZP     -> Q                     requantize_i32_to_i8
//   dot4 A B C                         -> R                     dot4_i8
//   relu X                             -> Y                     relu_value
//   relugrad Y DY                      -> DX                    relu_gradient
//   bias X B                           -> Y                     add_bias
//   pool H W WIN STRIDE X1 .. X(H*W)   -> Y1 A1 Y2 A2 ...       max_pool_window over one plane (value, argmax)
//   adam W G M V LR B1 B2 EPS WD DECOUPLED STEP -> W M V        masked_adam_update with mask 1 (= adam_update)
//   madam W G M V MASK LR B1 B2 EPS WD DECOUPLED STEP -> W M V  masked_adam_update
//   mask X M                           -> Y                     apply_mask (Backend.applyMask)
//   sgd W G V LR MOMENTUM WD NESTEROV  -> W V                   sgd_update
//   axpy ALPHA X Y / scale X ALPHA / mul A B -> R               axpy_value, scale_value, mul_value
//   finite X                           -> 0|1                   is_finite
//   minmax A B                         -> MIN MAX               java_minf, java_maxf
//   fold KIND MOMENTUM FIRST LO HI NEWLO NEWHI -> LO HI         fold_range (RangeFold.fold)
//   affine MIN MAX QMIN QMAX SYMMETRIC -> SCALE ZERO            affine_scale, affine_zero_point (AffineParams)
//   clampscale S MIN                   -> S                     clamp_scale
//   sumrows ROWS COLS BETA X(rows*cols) OUT(cols) -> OUT(cols)  column sums in row order, then sum_rows_value
//   ce ROWS CLASSES LABEL X(classes)   -> LOSS G(classes)       ce_row (LOSS a double, 0x + 16 hex digits)
//   kl ROWS CLASSES T S(classes) TEACHER(classes) -> KL G(classes)  kl_row
//   argmax COLS X(cols)                -> INDEX                 argmax_prefers over 32 strided lanes + xor tree
//   mse N P T                          -> SQUARE G              mse_square(mse_diff), mse_gradient(mse_grad_scale(N))
//   bn N C S TRAINING MOMENTUM EPS X(N*C*S) GAMMA(C) BETA(C) RMEAN(C) RVAR(C)
//                                      -> Y(N*C*S) RMEAN(C) RVAR(C) SMEAN(C) SINVSTD(C)   sequential double sums
//   bnback N C S X(N*C*S) DY(N*C*S) GAMMA(C) SMEAN(C) SINVSTD(C) -> DX(N*C*S) DGAMMA(C) DBETA(C)
//   im2col N C H W K STRIDE PAD X(N*C*H*W) -> COLS              im2col_source over every column entry
//   col2im N C H W K STRIDE PAD COLS   -> DX(N*C*H*W)           col2im_gather
//   f2h X                              -> H (0x + 4 hex digits) float_to_half_bits (host formula)
//   h2f H                              -> X                     half_bits_to_float (host formula)
//   transpose ROWS COLS BATCH GX GY GZ HASBIAS SRC(batch*rows*cols) [BIAS(cols)] -> DST(batch*cols*rows)
//        the layout kernel (src/transpose_f32.cuh) on a GX x GY x GZ grid (small grids exercise its loops)
//   The reduction, loss and batch-norm kernels, run block by block (warp shuffles emulated by per-warp exchanges),
//   the fixed-grid ones on GRID blocks instead of 1024 (the partials past GRID hold the identity):
//   ksum N SQUARES GRID X(n)           -> SUM (double)          sum_partials + sum_finish
//   kminmax N GRID X(n)                -> MIN MAX               min_max_partials + min_max_finish
//   kfinite N GRID X(n)                -> 0|1                   finite_partials + finite_finish
//   kminmaxch C INNER GRID X(c*inner)  -> MIN(c) MAX(c)         min_max_channels
//   kfold C INNER GRID KIND MOMENTUM FIRST X(c*inner) LO(c) HI(c) -> LO(c) HI(c)
//        the observer step: min_max_partials + fold_extremes_finish for C == 1, fold_extremes_channels otherwise
//   ksumrows ROWS COLS BETA GRID X(rows*cols) OLD(cols) -> OUT(cols)  sum_rows_kernel
//   kce ROWS CLASSES GRID X(rows*classes) LABELS(rows) -> LOSS BAD G(rows*classes)   softmax_ce_rows + rows_finish
//   kkl ROWS CLASSES T GRID S(rows*classes) TEACHER(rows*classes) -> KL G(rows*classes)  kl_rows + rows_finish
//   kargmax ROWS COLS GRID X(rows*cols) -> INDEX(rows)          argmax_rows_kernel
//   kmse N GRID P(n) T(n)              -> SUM G(n)              mse_partials + rows_finish
//   kbn N C S TRAINING MOMENTUM EPS GRID X GAMMA BETA RMEAN RVAR -> as bn   bn_forward
//   kbnback N C S GRID X DY GAMMA SMEAN SINVSTD -> as bnback    bn_backward
//   gemm BM BN TA TB M N K SHIFT ALPHA BETA A(m*k) B(k*n) C(m*n) -> C(m*n)
//        the f32 SIMT GEMM kernel (src/gemm_f32_simt.cuh) with tile BM x BN, run for every block and thread of its
//        grid: one std::thread per CUDA thread, __syncthreads a barrier, __shared__ arrays function statics (blocks
//        run one after another). SHIFT 1 offsets every matrix by one float, which turns off the float4 loads.
//
// Build: g++ -std=c++17 -O2 -ffp-contract=off -fno-strict-aliasing -pthread -I../include -I../src host_check.cpp (no
// -ffast-math, no -march flags that would allow contraction).
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <algorithm>
#include <climits>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "edgeq/activations.cuh"
#include "edgeq/adam.cuh"
#include "edgeq/batch_norm.cuh"
#include "edgeq/elementwise.cuh"
#include "edgeq/fake_quant.cuh"
#include "edgeq/half.cuh"
#include "edgeq/im2col.cuh"
#include "edgeq/losses.cuh"
#include "edgeq/observer.cuh"
#include "edgeq/philox.cuh"
#include "edgeq/pool.cuh"
#include "edgeq/requantize.cuh"

// ---- the CUDA subset the SIMT GEMM kernel uses, for running its body on the host ----

namespace emu {

struct Dim3 {
    unsigned x = 0, y = 0, z = 0;
};

/** A reusable barrier for the emulated threads of one block. */
class Barrier {
public:
    explicit Barrier(int count) : count_(count) {}

    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        unsigned generation = generation_;
        if (++waiting_ == count_) {
            waiting_ = 0;
            ++generation_;
            cv_.notify_all();
        } else {
            cv_.wait(lock, [&] { return generation != generation_; });
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_;
    int waiting_ = 0;
    unsigned generation_ = 0;
};

thread_local Dim3 thread_index;
Dim3 block_index, grid_dim, block_dim;
Barrier* barrier = nullptr;

/** One warp's shuffle exchange: every lane posts its value, all wait, each reads its source lane, all wait. */
struct Warp {
    explicit Warp(int lanes) : barrier(lanes) {}
    Barrier barrier;
    uint64_t slots[32] = {};
};

thread_local Warp* warp = nullptr;
thread_local int lane = 0;

template <typename T>
T shuffle(T value, int source) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "shuffled values fit a slot");
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof value);
    warp->slots[lane] = bits;
    warp->barrier.wait();
    uint64_t got = warp->slots[source];
    warp->barrier.wait();
    T out;
    std::memcpy(&out, &got, sizeof out);
    return out;
}

/** Runs kernel() for every block of `grid`, block after block, one std::thread per thread of `block`. */
template <typename Kernel>
void run(Dim3 grid, Dim3 block, Kernel kernel) {
    const int threads = static_cast<int>(block.x * block.y * block.z);
    grid_dim = grid;
    block_dim = block;
    for (unsigned bz = 0; bz < grid.z; ++bz) {
        for (unsigned by = 0; by < grid.y; ++by) {
            for (unsigned bx = 0; bx < grid.x; ++bx) {
                block_index = Dim3{bx, by, bz};
                Barrier b(threads);
                barrier = &b;
                std::vector<std::unique_ptr<Warp>> warps;
                for (int w = 0; w * 32 < threads; ++w) warps.push_back(std::make_unique<Warp>(std::min(32, threads - w * 32)));
                std::vector<std::thread> pool;
                for (int t = 0; t < threads; ++t) {
                    pool.emplace_back([t, block, &kernel, &warps] {
                        thread_index = Dim3{t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
                        warp = warps[static_cast<size_t>(t / 32)].get();
                        lane = t % 32;
                        kernel();
                    });
                }
                for (std::thread& th : pool) th.join();
            }
        }
    }
}

}  // namespace emu

struct alignas(16) float4 {
    float x, y, z, w;
};

inline float4 make_float4(float x, float y, float z, float w) {
    return float4{x, y, z, w};
}

struct alignas(8) float2 {
    float x, y;
};

inline float2 make_float2(float x, float y) {
    return float2{x, y};
}

inline double __dadd_rn(double a, double b) {
    return a + b;
}

inline double __dsub_rn(double a, double b) {
    return a - b;
}

inline double __dmul_rn(double a, double b) {
    return a * b;
}

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) alignas(n)
#define threadIdx (emu::thread_index)
#define blockIdx (emu::block_index)
#define gridDim (emu::grid_dim)
#define blockDim (emu::block_dim)
#define __syncthreads() (emu::barrier->wait())
#define __shfl_sync(mask, v, src) emu::shuffle((v), (src))
#define __shfl_xor_sync(mask, v, m) emu::shuffle((v), emu::lane ^ (m))
#define __shfl_down_sync(mask, v, d) emu::shuffle((v), emu::lane + (d) < 32 ? emu::lane + (d) : emu::lane)

#include "batch_norm_f32.cuh"
#include "gemm_f32_simt.cuh"
#include "losses_f32.cuh"
#include "reductions_f32.cuh"
#include "transpose_f32.cuh"

#undef threadIdx
#undef blockIdx
#undef gridDim
#undef blockDim

namespace {

float as_float(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

uint32_t bits_of(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

struct Reader {
    std::istringstream in;
    std::string op;

    explicit Reader(const std::string& line) : in(line) {}

    std::string token() {
        std::string t;
        if (!(in >> t)) throw std::runtime_error("missing operand");
        return t;
    }
    uint64_t u64() { return std::strtoull(token().c_str(), nullptr, 0); }
    int64_t i64() { return std::strtoll(token().c_str(), nullptr, 0); }
    int32_t i32() { return static_cast<int32_t>(i64()); }
    float f32() { return as_float(static_cast<uint32_t>(u64())); }
};

std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

std::string hexd(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(bits));
    return buf;
}

std::vector<float> floats(Reader& r, size_t n) {
    std::vector<float> v(n);
    for (float& f : v) f = r.f32();
    return v;
}

void put(std::ostringstream& out, const std::vector<float>& v) {
    for (size_t i = 0; i < v.size(); ++i) out << (out.tellp() > 0 ? " " : "") << hex(bits_of(v[i]));
}

// The argmax kernel's combination: 32 lanes scan strided columns, then an xor butterfly (x[0] NaN: index 0).
int argmax_lanes(const std::vector<float>& x) {
    int cols = static_cast<int>(x.size());
    if (x[0] != x[0]) return 0;
    float best[32];
    int best_j[32];
    for (int lane = 0; lane < 32; ++lane) {
        best[lane] = -INFINITY;
        best_j[lane] = 2147483647;
        for (int j = lane; j < cols; j += 32) {
            if (edgeq::argmax_prefers(x[j], j, best[lane], best_j[lane])) {
                best[lane] = x[j];
                best_j[lane] = j;
            }
        }
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        float nb[32];
        int nj[32];
        for (int lane = 0; lane < 32; ++lane) {
            nb[lane] = best[lane];
            nj[lane] = best_j[lane];
            int other = lane ^ offset;
            if (edgeq::argmax_prefers(best[other], best_j[other], best[lane], best_j[lane])) {
                nb[lane] = best[other];
                nj[lane] = best_j[other];
            }
        }
        for (int lane = 0; lane < 32; ++lane) {
            best[lane] = nb[lane];
            best_j[lane] = nj[lane];
        }
    }
    return best_j[0];
}

// Runs sgemm_kernel<BM, BN, TA, TB> over its whole grid.
template <int BM, int BN, bool TA, bool TB>
void emulate_gemm(const edgeq::kernels::sgemm::GemmArgs& g) {
    emu::Dim3 grid{static_cast<unsigned>((g.n + BN - 1) / BN), static_cast<unsigned>((g.m + BM - 1) / BM), 1};
    emu::run(grid, emu::Dim3{BM * BN / 64, 1, 1}, [&g] { edgeq::kernels::sgemm::sgemm_kernel<BM, BN, TA, TB>(g); });
}

template <int BM, int BN>
void emulate_gemm(bool ta, bool tb, const edgeq::kernels::sgemm::GemmArgs& g) {
    if (ta) {
        if (tb) emulate_gemm<BM, BN, true, true>(g);
        else emulate_gemm<BM, BN, true, false>(g);
    } else {
        if (tb) emulate_gemm<BM, BN, false, true>(g);
        else emulate_gemm<BM, BN, false, false>(g);
    }
}

/** 16-byte aligned float storage with `shift` floats in front, as a device allocation and a view into it. */
struct Aligned {
    std::vector<float4> storage;
    float* p;
    Aligned(const std::vector<float>& values, int shift) : storage((values.size() + shift + 3) / 4 + 1) {
        p = reinterpret_cast<float*>(storage.data()) + shift;
        std::memcpy(p, values.data(), values.size() * sizeof(float));
    }
};

bool aligned16(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

namespace ek = edgeq::kernels;

emu::Dim3 blocks(int grid) {
    return emu::Dim3{static_cast<unsigned>(grid), 1, 1};
}

const emu::Dim3 kBlock{ek::kThreads, 1, 1};

std::vector<int32_t> ints(Reader& r, size_t n) {
    std::vector<int32_t> v(n);
    for (int32_t& i : v) i = r.i32();
    return v;
}

edgeq::ConvShape read_conv(Reader& r) {
    int n = r.i32(), c = r.i32(), h = r.i32(), w = r.i32(), k = r.i32(), st = r.i32(), pad = r.i32();
    return edgeq::conv_shape(n, c, h, w, k, st, pad);
}

std::string evaluate(Reader& r) {
    std::ostringstream out;
    const std::string op = r.token();
    if (op == "fq") {
        float x = r.f32(), s = r.f32();
        int32_t z = r.i32(), qmin = r.i32(), qmax = r.i32();
        edgeq::CodeRange range = edgeq::code_range(z, qmin, qmax);
        float inv = edgeq::reciprocal(s);
        out << hex(bits_of(edgeq::fake_quant_value(x, s, inv, range))) << ' ' << (edgeq::ste_passes(x, inv, range) ? 1 : 0)
            << ' ' << hex(bits_of(edgeq::lsq_slope(x, inv, range)));
    } else if (op == "fold") {
        int32_t kind = r.i32();
        float momentum = r.f32();
        int32_t first = r.i32();
        float lo = r.f32(), hi = r.f32(), new_lo = r.f32(), new_hi = r.f32();
        edgeq::fold_range(lo, hi, new_lo, new_hi, kind, momentum, first != 0);
        out << hex(bits_of(lo)) << ' ' << hex(bits_of(hi));
    } else if (op == "affine") {
        float mn = r.f32(), mx = r.f32();
        int32_t qmin = r.i32(), qmax = r.i32(), symmetric = r.i32();
        float scale = edgeq::affine_scale(mn, mx, qmin, qmax, symmetric != 0);
        out << hex(bits_of(scale)) << ' ' << edgeq::affine_zero_point(mn, scale, qmin, qmax, symmetric != 0);
    } else if (op == "clampscale") {
        float sc = r.f32(), minimum = r.f32();
        out << hex(bits_of(edgeq::clamp_scale(sc, minimum)));
    } else if (op == "philox") {
        uint64_t seed = r.u64(), index = r.u64();
        out << hex(edgeq::philox_word(seed, index)) << ' ' << hex(bits_of(edgeq::philox_uniform(seed, index)));
    } else if (op == "dropout") {
        uint64_t seed = r.u64(), index = r.u64();
        float p = r.f32(), x = r.f32();
        float m = edgeq::dropout_mask(edgeq::philox_uniform(seed, index), p, edgeq::dropout_keep_scale(p));
        out << hex(bits_of(m)) << ' ' << hex(bits_of(edgeq::fmul_rn(x, m)));
    } else if (op == "requant") {
        int32_t acc = r.i32(), bias = r.i32(), mult = r.i32(), shift = r.i32(), zp = r.i32();
        out << static_cast<int>(edgeq::requantize_i32_to_i8(acc, bias, mult, shift, zp));
    } else if (op == "dot4") {
        int32_t a = r.i32(), b = r.i32(), c = r.i32();
        out << edgeq::dot4_i8(a, b, c);
    } else if (op == "pool") {
        int h = r.i32(), w = r.i32(), win = r.i32(), st = r.i32();
        std::vector<float> x(static_cast<size_t>(h) * w);
        for (float& v : x) v = r.f32();
        int oh = (h - win) / st + 1, ow = (w - win) / st + 1;
        for (int oy = 0; oy < oh; ++oy) {
            for (int ox = 0; ox < ow; ++ox) {
                edgeq::PoolResult p = edgeq::max_pool_window(x.data(), 0, w, oy, ox, win, st);
                if (oy + ox > 0) out << ' ';
                out << hex(bits_of(p.value)) << ' ' << p.index;
            }
        }
    } else if (op == "relu") {
        out << hex(bits_of(edgeq::relu_value(r.f32())));
    } else if (op == "relugrad") {
        float y = r.f32(), dy = r.f32();
        out << hex(bits_of(edgeq::relu_gradient(y, dy)));
    } else if (op == "bias") {
        float x = r.f32(), b = r.f32();
        out << hex(bits_of(edgeq::add_bias(x, b)));
    } else if (op == "adam" || op == "madam") {
        float w = r.f32(), g = r.f32(), m = r.f32(), v = r.f32();
        float mask = op == "madam" ? r.f32() : 1.0f;
        float lr = r.f32(), b1 = r.f32(), b2 = r.f32(), eps = r.f32(), wd = r.f32();
        int decoupled = r.i32(), step = r.i32();
        edgeq::AdamCoefficients c = edgeq::adam_coefficients(lr, b1, b2, eps, wd, decoupled != 0, step);
        edgeq::masked_adam_update(w, g, m, v, mask, c);
        out << hex(bits_of(w)) << ' ' << hex(bits_of(m)) << ' ' << hex(bits_of(v));
    } else if (op == "mask") {
        float x = r.f32(), m = r.f32();
        out << hex(bits_of(edgeq::apply_mask(x, m)));
    } else if (op == "sgd") {
        float w = r.f32(), g = r.f32(), v = r.f32(), lr = r.f32(), mom = r.f32(), wd = r.f32();
        int nesterov = r.i32();
        edgeq::sgd_update(w, g, v, lr, mom, wd, nesterov != 0);
        out << hex(bits_of(w)) << ' ' << hex(bits_of(v));
    } else if (op == "axpy") {
        float alpha = r.f32(), x = r.f32(), y = r.f32();
        out << hex(bits_of(edgeq::axpy_value(alpha, x, y)));
    } else if (op == "scale") {
        float x = r.f32(), alpha = r.f32();
        out << hex(bits_of(edgeq::scale_value(x, alpha)));
    } else if (op == "mul") {
        float a = r.f32(), b = r.f32();
        out << hex(bits_of(edgeq::mul_value(a, b)));
    } else if (op == "finite") {
        out << (edgeq::is_finite(r.f32()) ? 1 : 0);
    } else if (op == "minmax") {
        float a = r.f32(), b = r.f32();
        out << hex(bits_of(edgeq::java_minf(a, b))) << ' ' << hex(bits_of(edgeq::java_maxf(a, b)));
    } else if (op == "sumrows") {
        int rows = r.i32(), cols = r.i32();
        float beta = r.f32();
        std::vector<float> x = floats(r, static_cast<size_t>(rows) * cols), old = floats(r, static_cast<size_t>(cols)), res(cols);
        for (int j = 0; j < cols; ++j) {
            double acc = 0.0;
            for (int i = 0; i < rows; ++i) acc += x[static_cast<size_t>(i) * cols + j];
            res[j] = edgeq::sum_rows_value(acc, old[j], beta);
        }
        put(out, res);
    } else if (op == "ce") {
        int rows = r.i32(), classes = r.i32(), label = r.i32();
        std::vector<float> x = floats(r, classes), g(classes);
        double loss = edgeq::ce_row(x.data(), classes, label, edgeq::ce_inv_rows(rows), g.data());
        out << hexd(loss);
        for (float v : g) out << ' ' << hex(bits_of(v));
    } else if (op == "kl") {
        int rows = r.i32(), classes = r.i32();
        float t = r.f32();
        std::vector<float> s = floats(r, classes), teacher = floats(r, classes), g(classes);
        double kl = edgeq::kl_row(s.data(), teacher.data(), classes, 1.0 / static_cast<double>(t),
                                  edgeq::kl_grad_scale(t, rows), g.data());
        out << hexd(kl);
        for (float v : g) out << ' ' << hex(bits_of(v));
    } else if (op == "argmax") {
        int cols = r.i32();
        out << argmax_lanes(floats(r, cols));
    } else if (op == "mse") {
        int64_t n = r.i64();
        float p = r.f32(), t = r.f32();
        float d = edgeq::mse_diff(p, t);
        out << hexd(edgeq::mse_square(d)) << ' ' << hex(bits_of(edgeq::mse_gradient(d, edgeq::mse_grad_scale(n))));
    } else if (op == "bn") {
        int n = r.i32(), c = r.i32(), sp = r.i32(), training = r.i32();
        float momentum = r.f32(), eps = r.f32();
        size_t total = static_cast<size_t>(n) * c * sp;
        std::vector<float> x = floats(r, total), gamma = floats(r, c), beta = floats(r, c), rm = floats(r, c),
                           rv = floats(r, c), y(total), sm(c), sis(c);
        int64_t count = static_cast<int64_t>(n) * sp;
        for (int ch = 0; ch < c; ++ch) {
            float mean, inv_std;
            if (training) {
                double sum = 0.0;
                for (int i = 0; i < n; ++i) {
                    for (int q = 0; q < sp; ++q) sum = edgeq::dadd_rn(sum, x[(static_cast<size_t>(i) * c + ch) * sp + q]);
                }
                double m = edgeq::bn_mean(sum, count), sq = 0.0;
                for (int i = 0; i < n; ++i) {
                    for (int q = 0; q < sp; ++q) sq = edgeq::dadd_rn(sq, edgeq::bn_squared_deviation(x[(static_cast<size_t>(i) * c + ch) * sp + q], m));
                }
                edgeq::BnBatchStats st = edgeq::bn_batch_stats(m, sq, count, eps);
                mean = st.save_mean;
                inv_std = st.inv_std;
                sm[ch] = mean;
                sis[ch] = inv_std;
                rm[ch] = edgeq::bn_running(rm[ch], momentum, st.mean);
                rv[ch] = edgeq::bn_running(rv[ch], momentum, st.unbiased);
            } else {
                mean = rm[ch];
                inv_std = edgeq::bn_inv_std(static_cast<double>(rv[ch]), eps);
            }
            edgeq::BnAffine a = edgeq::bn_affine(gamma[ch], beta[ch], mean, inv_std);
            for (int i = 0; i < n; ++i) {
                for (int q = 0; q < sp; ++q) {
                    size_t at = (static_cast<size_t>(i) * c + ch) * sp + q;
                    y[at] = edgeq::bn_normalize(x[at], a);
                }
            }
        }
        put(out, y);
        put(out, rm);
        put(out, rv);
        put(out, sm);
        put(out, sis);
    } else if (op == "bnback") {
        int n = r.i32(), c = r.i32(), sp = r.i32();
        size_t total = static_cast<size_t>(n) * c * sp;
        std::vector<float> x = floats(r, total), dy = floats(r, total), gamma = floats(r, c), sm = floats(r, c),
                           sis = floats(r, c), dx(total), dg(c), db(c);
        for (int ch = 0; ch < c; ++ch) {
            double sum_dy = 0.0, sum_centered = 0.0;
            for (int i = 0; i < n; ++i) {
                for (int q = 0; q < sp; ++q) {
                    size_t at = (static_cast<size_t>(i) * c + ch) * sp + q;
                    sum_dy = edgeq::dadd_rn(sum_dy, dy[at]);
                    sum_centered = edgeq::dadd_rn(sum_centered, edgeq::bn_centered_product(x[at], sm[ch], dy[at]));
                }
            }
            edgeq::BnBackward k = edgeq::bn_backward_coefficients(sum_dy, sum_centered, gamma[ch], sm[ch], sis[ch],
                                                                  static_cast<int64_t>(n) * sp);
            dg[ch] = k.dgamma;
            db[ch] = k.dbeta;
            for (int i = 0; i < n; ++i) {
                for (int q = 0; q < sp; ++q) {
                    size_t at = (static_cast<size_t>(i) * c + ch) * sp + q;
                    dx[at] = edgeq::bn_backward_dx(dy[at], x[at], k);
                }
            }
        }
        put(out, dx);
        put(out, dg);
        put(out, db);
    } else if (op == "im2col") {
        edgeq::ConvShape cs = read_conv(r);
        std::vector<float> x = floats(r, static_cast<size_t>(cs.batch) * cs.channels * cs.height * cs.width);
        int64_t total = cs.batch * edgeq::conv_pixels(cs) * edgeq::conv_patch(cs);
        std::vector<float> cols(static_cast<size_t>(total));
        for (int64_t i = 0; i < total; ++i) {
            int64_t from = edgeq::im2col_source(cs, i);
            cols[static_cast<size_t>(i)] = from < 0 ? 0.0f : x[static_cast<size_t>(from)];
        }
        put(out, cols);
    } else if (op == "col2im") {
        edgeq::ConvShape cs = read_conv(r);
        std::vector<float> cols = floats(r, static_cast<size_t>(cs.batch * edgeq::conv_pixels(cs) * edgeq::conv_patch(cs)));
        std::vector<float> dx(static_cast<size_t>(cs.batch) * cs.channels * cs.height * cs.width);
        for (size_t i = 0; i < dx.size(); ++i) dx[i] = edgeq::col2im_gather(cs, cols.data(), static_cast<int64_t>(i));
        put(out, dx);
    } else if (op == "f2h") {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%04x", edgeq::float_to_half_bits(r.f32()));
        out << buf;
    } else if (op == "h2f") {
        out << hex(bits_of(edgeq::half_bits_to_float(static_cast<uint16_t>(r.u64()))));
    } else if (op == "transpose") {
        int rows = r.i32(), cols = r.i32(), batch = r.i32();
        unsigned gx = static_cast<unsigned>(r.i32()), gy = static_cast<unsigned>(r.i32()), gz = static_cast<unsigned>(r.i32());
        int has_bias = r.i32();
        std::vector<float> src = floats(r, static_cast<size_t>(batch) * rows * cols);
        std::vector<float> bias = has_bias ? floats(r, static_cast<size_t>(cols)) : std::vector<float>();
        std::vector<float> dst(src.size(), -12345.0f);
        const float* b = has_bias ? bias.data() : nullptr;
        namespace lk = edgeq::kernels::layout;
        emu::run(emu::Dim3{gx, gy, gz}, emu::Dim3{lk::kTile, lk::kTileRows, 1},
                 [&] { lk::transpose_batched(src.data(), b, dst.data(), rows, cols, batch); });
        put(out, dst);
    } else if (op == "ksum") {
        int64_t n = r.i64();
        int squares = r.i32(), grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(n));
        std::vector<double> partials(ek::kReduceBlocks, 0.0);
        double result = -1.0;
        emu::run(blocks(grid), kBlock, [&] { ek::reductions::sum_partials(x.data(), n, squares, partials.data()); });
        emu::run(blocks(1), kBlock, [&] { ek::reductions::sum_finish(partials.data(), &result); });
        out << hexd(result);
    } else if (op == "kminmax") {
        int64_t n = r.i64();
        int grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(n)), result(2);
        std::vector<float2> partials(ek::kReduceBlocks, make_float2(INFINITY, -INFINITY));
        emu::run(blocks(grid), kBlock, [&] { ek::reductions::min_max_partials(x.data(), n, partials.data()); });
        emu::run(blocks(1), kBlock, [&] { ek::reductions::min_max_finish(partials.data(), result.data()); });
        put(out, result);
    } else if (op == "kfinite") {
        int64_t n = r.i64();
        int grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(n));
        std::vector<int> partials(ek::kReduceBlocks, 1);
        int32_t result = -1;
        emu::run(blocks(grid), kBlock, [&] { ek::reductions::finite_partials(x.data(), n, partials.data()); });
        emu::run(blocks(1), kBlock, [&] { ek::reductions::finite_finish(partials.data(), &result); });
        out << result;
    } else if (op == "kminmaxch") {
        int64_t c = r.i64(), inner = r.i64();
        int grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(c * inner)), mins(static_cast<size_t>(c)), maxs(static_cast<size_t>(c));
        emu::run(blocks(grid), kBlock, [&] { ek::reductions::min_max_channels(x.data(), c, inner, mins.data(), maxs.data()); });
        put(out, mins);
        put(out, maxs);
    } else if (op == "kfold") {
        int64_t c = r.i64(), inner = r.i64();
        int grid = r.i32(), kind = r.i32();
        float momentum = r.f32();
        bool first = r.i32() != 0;
        std::vector<float> x = floats(r, static_cast<size_t>(c * inner));
        std::vector<float> lo = floats(r, static_cast<size_t>(c)), hi = floats(r, static_cast<size_t>(c));
        if (c == 1) {
            std::vector<float2> partials(ek::kReduceBlocks, make_float2(INFINITY, -INFINITY));
            emu::run(blocks(grid), kBlock, [&] { ek::reductions::min_max_partials(x.data(), inner, partials.data()); });
            emu::run(blocks(1), kBlock, [&] {
                ek::reductions::fold_extremes_finish(partials.data(), lo.data(), hi.data(), kind, momentum, first);
            });
        } else {
            emu::run(blocks(grid), kBlock, [&] {
                ek::reductions::fold_extremes_channels(x.data(), c, inner, lo.data(), hi.data(), kind, momentum, first);
            });
        }
        put(out, lo);
        put(out, hi);
    } else if (op == "ksumrows") {
        int64_t rows = r.i64(), cols = r.i64();
        float beta = r.f32();
        int grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(rows * cols)), o = floats(r, static_cast<size_t>(cols));
        emu::run(blocks(grid), emu::Dim3{32, ek::reductions::kRowLanes, 1},
                 [&] { ek::reductions::sum_rows_kernel(x.data(), o.data(), rows, cols, beta); });
        put(out, o);
    } else if (op == "kce" || op == "kkl") {
        bool ce = op == "kce";
        int rows = r.i32(), classes = r.i32();
        float t = ce ? 1.0f : r.f32();
        int grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(rows) * classes), g(x.size());
        std::vector<float> teacher = ce ? std::vector<float>() : floats(r, x.size());
        std::vector<int32_t> labels = ce ? ints(r, static_cast<size_t>(rows)) : std::vector<int32_t>();
        std::vector<double> partials(ek::kReduceBlocks, 0.0);
        std::vector<int> bad_partials(ek::kReduceBlocks, INT_MAX);
        double total = -1.0;
        int32_t bad = -1;
        if (ce) {
            emu::run(blocks(grid), kBlock, [&] {
                ek::losses::softmax_ce_rows(x.data(), labels.data(), g.data(), rows, classes, edgeq::ce_inv_rows(rows),
                                            partials.data(), bad_partials.data());
            });
            emu::run(blocks(1), kBlock, [&] { ek::losses::rows_finish(partials.data(), bad_partials.data(), &total, &bad); });
            out << hexd(total) << ' ' << bad;
        } else {
            emu::run(blocks(grid), kBlock, [&] {
                ek::losses::kl_rows(x.data(), teacher.data(), g.data(), rows, classes, 1.0 / static_cast<double>(t),
                                    edgeq::kl_grad_scale(t, rows), partials.data());
            });
            emu::run(blocks(1), kBlock, [&] { ek::losses::rows_finish(partials.data(), nullptr, &total, nullptr); });
            out << hexd(total);
        }
        for (float v : g) out << ' ' << hex(bits_of(v));
    } else if (op == "kargmax") {
        int rows = r.i32(), cols = r.i32(), grid = r.i32();
        std::vector<float> x = floats(r, static_cast<size_t>(rows) * cols);
        std::vector<int32_t> idx(static_cast<size_t>(rows), -1);
        emu::run(blocks(grid), kBlock, [&] { ek::losses::argmax_rows_kernel(x.data(), idx.data(), rows, cols); });
        for (size_t i = 0; i < idx.size(); ++i) out << (i ? " " : "") << idx[i];
    } else if (op == "kmse") {
        int64_t n = r.i64();
        int grid = r.i32();
        std::vector<float> p = floats(r, static_cast<size_t>(n)), t = floats(r, static_cast<size_t>(n)), g(static_cast<size_t>(n));
        std::vector<double> partials(ek::kReduceBlocks, 0.0);
        double total = -1.0;
        float scale = edgeq::mse_grad_scale(n);
        emu::run(blocks(grid), kBlock, [&] { ek::losses::mse_partials(p.data(), t.data(), g.data(), n, scale, partials.data()); });
        emu::run(blocks(1), kBlock, [&] { ek::losses::rows_finish(partials.data(), nullptr, &total, nullptr); });
        out << hexd(total);
        for (float v : g) out << ' ' << hex(bits_of(v));
    } else if (op == "kbn") {
        int n = r.i32(), c = r.i32(), sp = r.i32(), training = r.i32();
        float momentum = r.f32(), eps = r.f32();
        int grid = r.i32();
        size_t total = static_cast<size_t>(n) * c * sp;
        std::vector<float> x = floats(r, total), gamma = floats(r, c), beta = floats(r, c), rm = floats(r, c),
                           rv = floats(r, c), y(total), sm(c), sis(c);
        emu::run(blocks(grid), kBlock, [&] {
            ek::bn::bn_forward(x.data(), y.data(), gamma.data(), beta.data(), rm.data(), rv.data(), sm.data(), sis.data(),
                               n, c, sp, training, momentum, eps);
        });
        put(out, y);
        put(out, rm);
        put(out, rv);
        put(out, sm);
        put(out, sis);
    } else if (op == "kbnback") {
        int n = r.i32(), c = r.i32(), sp = r.i32(), grid = r.i32();
        size_t total = static_cast<size_t>(n) * c * sp;
        std::vector<float> x = floats(r, total), dy = floats(r, total), gamma = floats(r, c), sm = floats(r, c),
                           sis = floats(r, c), dx(total), dg(c), db(c);
        emu::run(blocks(grid), kBlock, [&] {
            ek::bn::bn_backward(x.data(), dy.data(), gamma.data(), sm.data(), sis.data(), dx.data(), dg.data(), db.data(),
                                n, c, sp);
        });
        put(out, dx);
        put(out, dg);
        put(out, db);
    } else if (op == "gemm") {
        int bm = r.i32(), bn = r.i32(), ta = r.i32(), tb = r.i32(), m = r.i32(), n = r.i32(), k = r.i32(), shift = r.i32();
        float alpha = r.f32(), beta = r.f32();
        std::vector<float> a = floats(r, static_cast<size_t>(m) * k), b = floats(r, static_cast<size_t>(k) * n),
                           c = floats(r, static_cast<size_t>(m) * n);
        Aligned da(a, shift), db(b, shift), dc(c, shift);
        edgeq::kernels::sgemm::GemmArgs g{};
        g.m = m;
        g.n = n;
        g.k = k;
        g.alpha = alpha;
        g.beta = beta;
        g.a = da.p;
        g.b = db.p;
        g.c = dc.p;
        g.lda = ta ? m : k;
        g.ldb = tb ? k : n;
        g.ldc = n;
        g.vec_a = aligned16(g.a) && g.lda % 4 == 0;
        g.vec_b = aligned16(g.b) && g.ldb % 4 == 0;
        g.vec_c = aligned16(g.c) && g.ldc % 4 == 0;
        if (bm == 128 && bn == 128) emulate_gemm<128, 128>(ta != 0, tb != 0, g);
        else if (bm == 64 && bn == 64) emulate_gemm<64, 64>(ta != 0, tb != 0, g);
        else if (bm == 128 && bn == 32) emulate_gemm<128, 32>(ta != 0, tb != 0, g);
        else if (bm == 32 && bn == 128) emulate_gemm<32, 128>(ta != 0, tb != 0, g);
        else throw std::runtime_error("no such tile");
        put(out, std::vector<float>(dc.p, dc.p + c.size()));
    } else {
        throw std::runtime_error("unknown op '" + op + "'");
    }
    return out.str();
}

}  // namespace

int main() {
    std::ios::sync_with_stdio(false);
    std::string line;
    long number = 0;
    while (std::getline(std::cin, line)) {
        ++number;
        if (line.empty()) continue;
        Reader reader(line);
        try {
            std::cout << evaluate(reader) << '\n';
        } catch (const std::exception& e) {
            std::cerr << "host_check: line " << number << ": " << e.what() << ": " << line << '\n';
            return 2;
        }
    }
    return 0;
}
