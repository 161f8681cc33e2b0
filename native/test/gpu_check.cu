// Runs every entry point of libedgeq_cuda.so on the GPU and compares with the host build of the same formula headers
// (bit for bit where the host test is bit-exact; GEMMs against naive int64 / double loops). Built by native/build.sh;
// run it on a GPU machine: native/build/gpu_check (exit 0 = all passed, 1 = a mismatch, 2 = no device).
// Never run yet: this repository has not been on a GPU machine. The ABI 2 checks (element-wise, reductions, losses,
// batch norm, convolution blocks, f32 GEMM, half conversions) compare with the same host formulas; where the device
// sums in another order or uses libdevice's exp/log they allow 1 ulp (or 1e-5 relative after a cancelling fma).
// A FAIL line is followed by up to three of its mismatches (index or channel, got, want; floats as %a).
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "edgeq.h"
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

namespace {

int failures = 0;
edgeq_context* ctx = nullptr;

#define CHECK_OK(call)                                                                                   \
    do {                                                                                                 \
        edgeq_status s_ = (call);                                                                        \
        if (s_ == EDGEQ_OK) s_ = edgeq_stream_synchronize(ctx, nullptr);                                \
        if (s_ != EDGEQ_OK) {                                                                            \
            std::printf("FAIL %s: %s: %s\n", #call, edgeq_status_name(s_), edgeq_last_error());         \
            ++failures;                                                                                  \
            return;                                                                                      \
        }                                                                                                \
    } while (0)

template <typename T>
struct Device {
    T* p = nullptr;
    size_t n = 0;
    explicit Device(const std::vector<T>& host) : n(host.size()) {
        cudaMalloc(&p, sizeof(T) * (n > 0 ? n : 1));
        if (n > 0) cudaMemcpy(p, host.data(), sizeof(T) * n, cudaMemcpyHostToDevice);
    }
    explicit Device(size_t count) : n(count) { cudaMalloc(&p, sizeof(T) * (n > 0 ? n : 1)); }
    ~Device() { cudaFree(p); }
    std::vector<T> get() const {
        std::vector<T> h(n);
        if (n > 0) cudaMemcpy(h.data(), p, sizeof(T) * n, cudaMemcpyDeviceToHost);
        return h;
    }
};

uint32_t bits(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
}

bool same(float a, float b) {
    return (a != a && b != b) || bits(a) == bits(b);
}

// The first mismatches of the check under way (what, where, got, want), printed under its FAIL line: a failure says
// which element and value differ, not only how many.
std::vector<std::string> details;

__attribute__((format(printf, 2, 3))) bool flag(bool bad, const char* format, ...) {
    if (bad && details.size() < 3) {
        char line[256];
        va_list args;
        va_start(args, format);
        std::vsnprintf(line, sizeof line, format, args);
        va_end(args);
        details.emplace_back(line);
    }
    return bad;
}

void report(const char* name, long bad, long total) {
    std::printf("%s %s: %ld of %ld elements differ\n", bad == 0 ? "PASS" : "FAIL", name, bad, total);
    if (bad != 0) {
        ++failures;
        for (const std::string& d : details) std::printf("    %s\n", d.c_str());
    }
    details.clear();
}

std::vector<float> awkward(size_t n, float s, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(n);
    const float special[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e30f, -1e30f, 1e-40f};
    for (size_t i = 0; i < n; ++i) {
        if (i % 97 < 8) v[i] = special[i % 97];
        else if (i % 5 == 0) v[i] = (static_cast<float>(static_cast<int>(i % 300) - 150) + 0.5f) * s;  // ties
        else v[i] = normal(rng) * 100.0f * s;
    }
    return v;
}

void fake_quant_checks() {
    const size_t n = 100003;
    const float s = 0.037f;
    const int32_t z = -3, qmin = -128, qmax = 127;
    std::vector<float> x = awkward(n, s, 1), dy(n);
    for (size_t i = 0; i < n; ++i) dy[i] = static_cast<float>(i % 13) - 6.0f;
    Device<float> dx_(x), ddy(dy), dy_out(n), dout(n), dscale(std::vector<float>{s}), dgrad(1);
    Device<int32_t> dzero(std::vector<int32_t>{z});
    edgeq::CodeRange r = edgeq::code_range(z, qmin, qmax);
    float inv = edgeq::reciprocal(s);
    for (int shift = 0; shift < 2; ++shift) {  // aligned (float4 path) and shifted by one float (scalar path)
        CHECK_OK(edgeq_fake_quant_f32(ctx, nullptr, dx_.p + shift, dout.p + shift, n - shift, dscale.p, dzero.p, qmin, qmax));
        std::vector<float> y = dout.get();
        long bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], edgeq::fake_quant_value(x[i], s, inv, r));
        report(shift ? "fake_quant_f32 (unaligned)" : "fake_quant_f32 (float4)", bad, n - shift);
    }
    CHECK_OK(edgeq_fake_quant_backward_f32(ctx, nullptr, dx_.p, ddy.p, dy_out.p, n, dscale.p, dzero.p, qmin, qmax));
    std::vector<float> g = dy_out.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(g[i], edgeq::ste_gradient(x[i], dy[i], inv, r));
    report("fake_quant_backward_f32", bad, n);
    const float grad_scale = 0.25f;  // a power of two: the float result is the double sum's rounding, scaled
    CHECK_OK(edgeq_fake_quant_lsq_backward_f32(ctx, nullptr, dx_.p, ddy.p, dy_out.p, n, dscale.p, dzero.p, qmin, qmax,
                                               grad_scale, dgrad.p));
    double expected = 0.0;
    for (size_t i = 0; i < n; ++i) expected += static_cast<double>(dy[i]) * edgeq::lsq_slope(x[i], inv, r);
    double got = dgrad.get()[0];
    expected *= grad_scale;
    report("fake_quant_lsq_backward_f32 (float of the sum, within 1e-6 relative)",
           std::fabs(got - expected) > 1e-6 * std::fabs(expected) + 1e-9, 1);

    const int64_t channels = 37, inner = 1001;
    std::vector<float> xc = awkward(channels * inner, 0.01f, 2), sc(channels), dyc(channels * inner, 1.0f);
    std::vector<int32_t> zc(channels);
    for (int64_t c = 0; c < channels; ++c) {
        sc[c] = 0.001f * static_cast<float>(c + 1);
        zc[c] = static_cast<int32_t>(c % 7) - 3;
    }
    Device<float> dxc(xc), dsc(sc), dyc_(dyc), outc(channels * inner), dscales(channels);
    Device<int32_t> dzc(zc);
    CHECK_OK(edgeq_fake_quant_per_channel_f32(ctx, nullptr, dxc.p, outc.p, channels, inner, dsc.p, dzc.p, qmin, qmax));
    std::vector<float> yc = outc.get();
    bad = 0;
    for (int64_t i = 0; i < channels * inner; ++i) {
        int64_t c = i / inner;
        bad += !same(yc[i], edgeq::fake_quant_value(xc[i], sc[c], edgeq::reciprocal(sc[c]), edgeq::code_range(zc[c], qmin, qmax)));
    }
    report("fake_quant_per_channel_f32", bad, channels * inner);
    CHECK_OK(edgeq_fake_quant_per_channel_lsq_backward_f32(ctx, nullptr, dxc.p, dyc_.p, outc.p, channels, inner, dsc.p,
                                                           dzc.p, qmin, qmax, 0.5f, dscales.p));
    std::vector<float> ds = dscales.get();
    bad = 0;
    for (int64_t c = 0; c < channels; ++c) {
        double sum = 0.0;
        for (int64_t i = 0; i < inner; ++i) {
            sum += edgeq::lsq_slope(xc[c * inner + i], edgeq::reciprocal(sc[c]), edgeq::code_range(zc[c], qmin, qmax));
        }
        float want = static_cast<float>(0.5 * sum);
        bad += !(same(ds[c], want) || std::fabs(ds[c] - want) <= 2 * std::fabs(std::nextafter(want, INFINITY) - want));
    }
    report("fake_quant_per_channel_lsq_backward_f32 (dscales within 2 ulp)", bad, channels);
}

void random_checks() {
    const size_t n = 40001;
    const uint64_t seed = 0x123456789ABCDEF0ull, offset = (1ull << 34) - 7;
    std::vector<float> x = awkward(n, 1.0f, 3);
    Device<float> dx_(x), y(n), mask(n);
    for (float p : {0.0f, 0.1f, 0.5f, 1.0f}) {
        CHECK_OK(edgeq_dropout_f32(ctx, nullptr, dx_.p, y.p, mask.p, n, p, seed, offset));
        std::vector<float> yh = y.get(), mh = mask.get();
        long bad = 0;
        float keep = edgeq::dropout_keep_scale(p);
        for (size_t i = 0; i < n; ++i) {
            float m = edgeq::dropout_mask(edgeq::philox_uniform(seed, offset + i), p, keep);
            bad += !same(mh[i], m) || !same(yh[i], x[i] * m);
        }
        char name[64];
        std::snprintf(name, sizeof name, "dropout_f32 p=%g", p);
        report(name, bad, n);
    }
}

void optimiser_checks() {
    const size_t n = 10007;
    std::vector<float> w = awkward(n, 0.01f, 4), g = awkward(n, 0.1f, 5), m(n, 0.01f), v(n, 0.001f), mask(n);
    for (size_t i = 0; i < n; ++i) mask[i] = i % 3 == 0 ? 0.0f : 1.0f;
    for (int decoupled = 0; decoupled < 2; ++decoupled) {
        Device<float> dw(w), dg(g), dm(m), dv(v), dmask(mask);
        CHECK_OK(edgeq_adam_f32(ctx, nullptr, dw.p, dg.p, dm.p, dv.p, dmask.p, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f,
                                decoupled, 7));
        edgeq::AdamCoefficients c = edgeq::adam_coefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled != 0, 7);
        std::vector<float> wh = dw.get(), mh = dm.get(), vh = dv.get();
        long bad = 0;
        for (size_t i = 0; i < n; ++i) {
            float ww = w[i], mm = m[i], vv = v[i];
            edgeq::masked_adam_update(ww, g[i], mm, vv, mask[i], c);
            bad += !same(wh[i], ww) || !same(mh[i], mm) || !same(vh[i], vv);
        }
        report(decoupled ? "adam_f32 (AdamW, masked)" : "adam_f32 (L2, masked)", bad, n);
    }
    std::vector<float> prune(n);  // Backend.applyMask multiplies: signed zeros, NaN from 0 * inf, non-binary masks
    for (size_t i = 0; i < n; ++i) prune[i] = i % 4 == 0 ? 0.0f : (i % 4 == 1 ? 1.0f : (i % 4 == 2 ? -0.0f : 0.5f));
    Device<float> dw(w), out(n), dmask(prune);
    CHECK_OK(edgeq_relu_f32(ctx, nullptr, dw.p, out.p, n));
    std::vector<float> r = out.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(r[i], edgeq::relu_value(w[i]));
    report("relu_f32", bad, n);
    CHECK_OK(edgeq_mask_apply_f32(ctx, nullptr, dw.p, dmask.p, n));
    r = dw.get();
    bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(r[i], w[i] * prune[i]);
    report("mask_apply_f32", bad, n);
}

void pool_checks() {
    const int geos[][4] = {{13, 11, 3, 2}, {12, 12, 2, 2}};
    const int batch = 3, channels = 5;
    for (const auto& geo : geos) {
        int h = geo[0], w = geo[1], win = geo[2], st = geo[3];
        int oh = (h - win) / st + 1, ow = (w - win) / st + 1;
        size_t in_n = static_cast<size_t>(batch) * channels * h * w, out_n = static_cast<size_t>(batch) * channels * oh * ow;
        std::vector<float> x = awkward(in_n, 1.0f, 8), dy(out_n);
        for (size_t i = 0; i < out_n; ++i) dy[i] = static_cast<float>(i % 17) - 8.0f;
        Device<float> dx_(x), y(out_n), ddy(dy), dx(in_n);
        Device<int32_t> am(out_n);
        CHECK_OK(edgeq_max_pool2d_f32(ctx, nullptr, dx_.p, y.p, am.p, batch, channels, h, w, win, st));
        std::vector<float> yh = y.get();
        std::vector<int32_t> ah = am.get();
        long bad = 0;
        for (size_t o = 0; o < out_n; ++o) {
            size_t plane = o / (oh * ow);
            int rem = static_cast<int>(o % (oh * ow));
            edgeq::PoolResult r = edgeq::max_pool_window(x.data(), static_cast<int64_t>(plane) * h * w, w, rem / ow, rem % ow, win, st);
            bad += !same(yh[o], r.value) || ah[o] != r.index;
        }
        char name[96];
        std::snprintf(name, sizeof name, "max_pool2d_f32 %dx%d window %d stride %d", h, w, win, st);
        report(name, bad, static_cast<long>(out_n));
        if (st >= win) {
            CHECK_OK(edgeq_max_pool2d_backward_f32(ctx, nullptr, ddy.p, am.p, dx.p, batch, channels, h, w, win, st));
            std::vector<float> want(in_n, 0.0f), got = dx.get();
            for (size_t o = 0; o < out_n; ++o) want[ah[o]] += dy[o];
            bad = 0;
            for (size_t i = 0; i < in_n; ++i) bad += !same(got[i], want[i]);
            std::snprintf(name, sizeof name, "max_pool2d_backward_f32 %dx%d window %d stride %d", h, w, win, st);
            report(name, bad, static_cast<long>(in_n));
        }
    }
}

void gemm_checks() {
    const int shapes[][3] = {{67, 45, 131}, {1, 1, 1}, {64, 64, 32}, {129, 200, 77}, {256, 256, 256}};
    std::mt19937 rng(6);
    for (const auto& shape : shapes) {
        int m = shape[0], n = shape[1], k = shape[2];
        std::vector<int8_t> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(n) * k);
        for (auto& e : a) e = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
        for (auto& e : b) e = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
        std::vector<int32_t> bias(n), mult(n), shift(n);
        for (int j = 0; j < n; ++j) {
            bias[j] = static_cast<int32_t>(rng() % 2001) - 1000;
            mult[j] = static_cast<int32_t>((1u << 30) + rng() % (1u << 30));
            shift[j] = 40 + static_cast<int32_t>(rng() % 8);
        }
        std::vector<int32_t> want32(static_cast<size_t>(m) * n);
        std::vector<int8_t> want8(want32.size());
        for (int i = 0; i < m; ++i) {
            for (int j = 0; j < n; ++j) {
                int64_t acc = 0;
                for (int kk = 0; kk < k; ++kk) acc += a[static_cast<size_t>(i) * k + kk] * b[static_cast<size_t>(j) * k + kk];
                want32[static_cast<size_t>(i) * n + j] = static_cast<int32_t>(acc);
                want8[static_cast<size_t>(i) * n + j] = edgeq::requantize_i32_to_i8(static_cast<int32_t>(acc), bias[j], mult[j], shift[j], 3);
            }
        }
        Device<int8_t> da(a), db(b), c8(want8.size());
        Device<int32_t> c32(want32.size()), dbias(bias), dmult(mult), dshift(shift);
        for (int path = 0; path < 2; ++path) {
            edgeq_status s = path == 0
                ? edgeq_gemm_i8_i32(ctx, nullptr, da.p, db.p, c32.p, c8.p, m, n, k, dbias.p, dmult.p, dshift.p, 3)
                : edgeq_gemm_i8_i32_tensor_core(ctx, nullptr, da.p, db.p, c32.p, c8.p, m, n, k, dbias.p, dmult.p, dshift.p, 3);
            if (s == EDGEQ_OK) s = edgeq_stream_synchronize(ctx, nullptr);
            char name[96];
            std::snprintf(name, sizeof name, "gemm_i8_i32 %s %dx%dx%d", path == 0 ? "dp4a" : "tensor-core", m, n, k);
            if (s != EDGEQ_OK) {
                std::printf("FAIL %s: %s: %s\n", name, edgeq_status_name(s), edgeq_last_error());
                ++failures;
                continue;
            }
            std::vector<int32_t> g32 = c32.get();
            std::vector<int8_t> g8 = c8.get();
            long bad = 0;
            for (size_t i = 0; i < g32.size(); ++i) bad += g32[i] != want32[i] || g8[i] != want8[i];
            report(name, bad, static_cast<long>(g32.size()));
        }
        // fp16: the same integers as halves (exact), so the f32 result is exact too while |sums| < 2^24.
        std::vector<uint16_t> ha(a.size()), hb(b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            __half h = __float2half(static_cast<float>(a[i]));
            std::memcpy(&ha[i], &h, 2);
        }
        for (size_t i = 0; i < b.size(); ++i) {
            __half h = __float2half(static_cast<float>(b[i]));
            std::memcpy(&hb[i], &h, 2);
        }
        Device<uint16_t> dha(ha), dhb(hb);
        Device<float> dc(want32.size());
        CHECK_OK(edgeq_gemm_f16_f32(ctx, nullptr, dha.p, dhb.p, dc.p, m, n, k, 1.0f, 0.0f));
        std::vector<float> gc = dc.get();
        long bad = 0;
        for (size_t i = 0; i < gc.size(); ++i) bad += gc[i] != static_cast<float>(want32[i]);
        char name[96];
        std::snprintf(name, sizeof name, "gemm_f16_f32 %dx%dx%d (integer-valued, exact)", m, n, k);
        report(name, bad, static_cast<long>(gc.size()));
    }
}

// ---- ABI 2 ----

bool same_double(double a, double b) {
    return (a != a && b != b) || std::memcmp(&a, &b, sizeof a) == 0;
}

bool within_ulps(float got, float want, int ulps) {
    if (same(got, want)) return true;
    if (got != got || want != want) return false;
    float unit = std::nextafter(std::fmax(std::fabs(got), std::fabs(want)), INFINITY) - std::fmax(std::fabs(got), std::fabs(want));
    return std::fabs(got - want) <= ulps * unit;
}

// Equal values (the same infinity: a KL row with q = 0 where p > 0 is +inf on the CPU too) and NaN for NaN agree.
bool close_rel(double got, double want, double rel) {
    if (got == want || (got != got && want != want)) return true;
    return std::fabs(got - want) <= rel * std::fmax(1.0, std::fabs(want));
}

void elementwise_checks() {
    const size_t n = 10003;
    std::vector<float> a = awkward(n, 1.0f, 11), b = awkward(n, 0.5f, 12);
    for (int shift = 0; shift < 2; ++shift) {
        const char* how = shift ? " (unaligned)" : " (float4)";
        size_t m = n - shift;
        char name[80];
        Device<float> da(a), db(b), dy(n);
        CHECK_OK(edgeq_fill_f32(ctx, nullptr, dy.p + shift, m, -2.5f));
        std::vector<float> y = dy.get();
        long bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], -2.5f);
        std::snprintf(name, sizeof name, "fill_f32%s", how);
        report(name, bad, m);
        CHECK_OK(edgeq_axpy_f32(ctx, nullptr, 0.75f, da.p + shift, db.p + shift, m));
        y = db.get();
        bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], edgeq::axpy_value(0.75f, a[i], b[i]));
        std::snprintf(name, sizeof name, "axpy_f32%s", how);
        report(name, bad, m);
        CHECK_OK(edgeq_scale_f32(ctx, nullptr, da.p + shift, m, -3.0f));
        y = da.get();
        bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], edgeq::scale_value(a[i], -3.0f));
        std::snprintf(name, sizeof name, "scale_f32%s", how);
        report(name, bad, m);
        Device<float> da2(a), db2(b);
        CHECK_OK(edgeq_mul_f32(ctx, nullptr, da2.p + shift, db2.p + shift, dy.p + shift, m));
        y = dy.get();
        bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], edgeq::mul_value(a[i], b[i]));
        std::snprintf(name, sizeof name, "mul_f32%s", how);
        report(name, bad, m);
    }

    // SGD (both flavours), bit for bit, aligned and not.
    std::vector<float> w = awkward(n, 0.01f, 13), g = awkward(n, 0.1f, 14), v(n);
    for (size_t i = 0; i < n; ++i) v[i] = 0.001f * static_cast<float>(static_cast<int>(i % 19) - 9);
    for (int nesterov = 0; nesterov < 2; ++nesterov) {
        for (int shift = 0; shift < 2; ++shift) {
            Device<float> dw(w), dg(g), dv(v);
            CHECK_OK(edgeq_sgd_f32(ctx, nullptr, dw.p + shift, dg.p + shift, dv.p + shift, n - shift, 0.05f, 0.9f, 1e-4f, nesterov));
            std::vector<float> wh = dw.get(), vh = dv.get();
            long bad = 0;
            for (size_t i = shift; i < n; ++i) {
                float ww = w[i], vv = v[i];
                edgeq::sgd_update(ww, g[i], vv, 0.05f, 0.9f, 1e-4f, nesterov != 0);
                bad += !same(wh[i], ww) || !same(vh[i], vv);
            }
            char name[80];
            std::snprintf(name, sizeof name, "sgd_f32 nesterov=%d%s", nesterov, shift ? " (unaligned)" : "");
            report(name, bad, n - shift);
        }
    }

    // Half conversions: the host formulas (bit for bit; NaN as NaN), every half value back to float.
    std::vector<float> hx = awkward(n, 1.0f, 15);
    // Overflow (65520 is the tie between 65504 and 2^16: to even = inf; just below it 65504), half subnormals
    // (2^-25 is the tie between 0 and 2^-24: to even = 0), and ties in both directions at both signs
    // (1 + 2^-11: down to 1; 1 + 3 * 2^-11: up; 2049: down to 2048; 3 * 2^-25: up to 2 * 2^-24; the tie between the
    // largest subnormal and 2^-14: up to 2^-14). The random values hold no exact tie.
    const float extra[] = {65504.0f, 65519.996f, 65520.0f, 1e-8f, 3e-8f, 5.9604645e-8f, 2.9802322e-8f, 6.1035156e-5f,
                           -1e-7f, 0x1.002p+0f, -0x1.002p+0f, 0x1.006p+0f, -0x1.006p+0f, 2049.0f, 0x1.8p-24f,
                           0x1.ffcp-15f, -65520.0f};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; ++i) hx[i * 13] = extra[i];
    Device<float> dhx(hx);
    Device<uint16_t> dh(n);
    CHECK_OK(edgeq_convert_f32_f16(ctx, nullptr, dhx.p, dh.p, n));
    std::vector<uint16_t> hh = dh.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) {
        uint16_t want = edgeq::float_to_half_bits(hx[i]);
        bool nan = (want & 0x7c00) == 0x7c00 && (want & 0x3ff) != 0;
        bad += flag(nan ? !((hh[i] & 0x7c00) == 0x7c00 && (hh[i] & 0x3ff) != 0) : hh[i] != want,
                    "[%zu] x = %a (0x%08x): got 0x%04x, want 0x%04x", i, static_cast<double>(hx[i]), bits(hx[i]), hh[i], want);
    }
    report("convert_f32_f16", bad, n);
    std::vector<uint16_t> all(65536);
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint16_t>(i);
    Device<uint16_t> dall(all);
    Device<float> dwide(all.size());
    CHECK_OK(edgeq_convert_f16_f32(ctx, nullptr, dall.p, dwide.p, all.size()));
    std::vector<float> wide = dwide.get();
    bad = 0;
    for (size_t i = 0; i < all.size(); ++i) bad += !same(wide[i], edgeq::half_bits_to_float(all[i]));
    report("convert_f16_f32 (all 65536 halves)", bad, 65536);
}

void reduction_checks() {
    const size_t n = 1000003;
    std::vector<float> x(n);
    std::mt19937 rng(16);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : x) v = normal(rng) * 10.0f;
    Device<float> dx(x);
    Device<double> out(1);
    for (int squares = 0; squares < 2; ++squares) {
        double want = 0.0;
        for (float v : x) want += squares ? static_cast<double>(v) * v : v;
        CHECK_OK(edgeq_sum_f64(ctx, nullptr, dx.p, n, squares, out.p));
        double first = out.get()[0];
        CHECK_OK(edgeq_sum_f64(ctx, nullptr, dx.p, n, squares, out.p));
        double second = out.get()[0];
        report(squares ? "sum_f64 squares (1e-12 relative, same bits twice)" : "sum_f64 (1e-12 relative, same bits twice)",
               !close_rel(first, want, 1e-12) || !same_double(first, second), 1);
    }
    CHECK_OK(edgeq_sum_f64(ctx, nullptr, nullptr, 0, 0, out.p));
    report("sum_f64 of nothing is 0", out.get()[0] != 0.0, 1);

    Device<int32_t> flag(1);
    CHECK_OK(edgeq_all_finite_f32(ctx, nullptr, dx.p, n, flag.p));
    long bad = flag.get()[0] != 1;
    std::vector<float> y = x;
    y[n - 1] = INFINITY;
    Device<float> dy(y);
    CHECK_OK(edgeq_all_finite_f32(ctx, nullptr, dy.p, n, flag.p));
    bad += flag.get()[0] != 0;
    report("all_finite_f32 (finite, then one infinity at the end)", bad, 2);

    Device<float> mm(2);
    CHECK_OK(edgeq_min_max_f32(ctx, nullptr, dx.p, n, mm.p));
    float lo = INFINITY, hi = -INFINITY;
    for (float v : x) {
        lo = edgeq::java_minf(lo, v);
        hi = edgeq::java_maxf(hi, v);
    }
    std::vector<float> got = mm.get();
    bad = !same(got[0], lo) || !same(got[1], hi);
    y = x;
    y[n / 2] = NAN;
    Device<float> dnan(y);
    CHECK_OK(edgeq_min_max_f32(ctx, nullptr, dnan.p, n, mm.p));
    got = mm.get();
    bad += !(got[0] != got[0]) || !(got[1] != got[1]);
    CHECK_OK(edgeq_min_max_f32(ctx, nullptr, nullptr, 0, mm.p));
    got = mm.get();
    bad += !(got[0] == INFINITY && got[1] == -INFINITY);
    report("min_max_f32 (values, NaN, empty)", bad, 3);

    const int64_t channels = 37, inner = 1001;
    std::vector<float> xc = awkward(channels * inner, 1.0f, 17);
    Device<float> dxc(xc), mins(channels), maxs(channels);
    CHECK_OK(edgeq_min_max_per_channel_f32(ctx, nullptr, dxc.p, channels, inner, mins.p, maxs.p));
    std::vector<float> mn = mins.get(), mx = maxs.get();
    bad = 0;
    for (int64_t c = 0; c < channels; ++c) {
        float l = INFINITY, h = -INFINITY;
        for (int64_t i = 0; i < inner; ++i) {
            l = edgeq::java_minf(l, xc[c * inner + i]);
            h = edgeq::java_maxf(h, xc[c * inner + i]);
        }
        bad += !same(mn[c], l) || !same(mx[c], h);
    }
    report("min_max_per_channel_f32", bad, channels);

    const int64_t rows = 1000, cols = 67;
    std::vector<float> m(rows * cols), old(cols, NAN);
    for (float& v : m) v = normal(rng);
    Device<float> dm(m);
    for (float beta : {0.0f, 0.5f}) {
        if (beta != 0.0f) {
            for (int64_t j = 0; j < cols; ++j) old[j] = static_cast<float>(j) - 30.0f;
        }
        Device<float> dout(old);
        CHECK_OK(edgeq_sum_rows_f32(ctx, nullptr, dm.p, dout.p, rows, cols, beta));
        std::vector<float> s = dout.get();
        bad = 0;
        for (int64_t j = 0; j < cols; ++j) {
            double acc = 0.0;
            for (int64_t i = 0; i < rows; ++i) acc += m[i * cols + j];
            bad += !within_ulps(s[j], edgeq::sum_rows_value(acc, old[j], beta), 1);
        }
        report(beta == 0.0f ? "sum_rows_f32 beta=0 over NaN (1 ulp)" : "sum_rows_f32 beta=0.5 (1 ulp)", bad, cols);
    }

    // The per-tensor LSQ sum is deterministic now: the same bits twice.
    Device<float> dyl(x), dxl(n), s1(1), step(std::vector<float>{0.05f});
    Device<int32_t> zero(std::vector<int32_t>{0});
    CHECK_OK(edgeq_fake_quant_lsq_backward_f32(ctx, nullptr, dx.p, dyl.p, dxl.p, n, step.p, zero.p, -128, 127, 1.0f, s1.p));
    float first = s1.get()[0];
    CHECK_OK(edgeq_fake_quant_lsq_backward_f32(ctx, nullptr, dx.p, dyl.p, dxl.p, n, step.p, zero.p, -128, 127, 1.0f, s1.p));
    report("fake_quant_lsq_backward_f32 (same bits twice)", !same(first, s1.get()[0]), 1);
}

void loss_checks() {
    std::mt19937 rng(18);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    for (int classes : {10, 1000}) {
        const int rows = 300;
        std::vector<float> x(static_cast<size_t>(rows) * classes);
        for (float& v : x) v = normal(rng);
        x[5] = -INFINITY;
        std::vector<int32_t> labels(rows);
        for (int r = 0; r < rows; ++r) labels[r] = (r * 7 + 3) % classes;
        Device<float> dx(x), dg(x.size());
        Device<int32_t> dl(labels), bad_label(1);
        Device<double> loss(1);
        CHECK_OK(edgeq_softmax_cross_entropy_f32(ctx, nullptr, dx.p, dl.p, dg.p, rows, classes, loss.p, bad_label.p));
        std::vector<float> g = dg.get(), want(classes);
        double total = 0.0;
        long bad = 0;
        for (int r = 0; r < rows; ++r) {
            total += edgeq::ce_row(x.data() + static_cast<size_t>(r) * classes, classes, labels[r], edgeq::ce_inv_rows(rows), want.data());
            for (int j = 0; j < classes; ++j) bad += !within_ulps(g[static_cast<size_t>(r) * classes + j], want[j], 1);
        }
        double first = loss.get()[0];
        bad += !close_rel(first, total, 1e-12) || bad_label.get()[0] != 0;
        CHECK_OK(edgeq_softmax_cross_entropy_f32(ctx, nullptr, dx.p, dl.p, nullptr, rows, classes, loss.p, bad_label.p));
        bad += !same_double(first, loss.get()[0]);
        char name[96];
        std::snprintf(name, sizeof name, "softmax_cross_entropy_f32 %dx%d (1 ulp, loss 1e-12, same bits twice)", rows, classes);
        report(name, bad, static_cast<long>(x.size()) + 2);
        labels[200] = classes;
        labels[17] = -1;
        Device<int32_t> dbad(labels);
        CHECK_OK(edgeq_softmax_cross_entropy_f32(ctx, nullptr, dx.p, dbad.p, dg.p, rows, classes, loss.p, bad_label.p));
        std::snprintf(name, sizeof name, "softmax_cross_entropy_f32 %d classes: bad label flagged at row 17", classes);
        report(name, bad_label.get()[0] != 18, 1);

        std::vector<float> t(x.size());
        for (float& v : t) v = normal(rng);
        Device<float> dt(t);
        // Row 0 with x[5] = -inf (q = 0 where p > 0): its KL is +inf, on the CPU too, and so is the sum; the run
        // with x[5] finite gives the sum's 1e-12 comparison a finite value to hold.
        for (int inf_logit = 1; inf_logit >= 0; --inf_logit) {
            std::vector<float> kx = x;
            if (!inf_logit) kx[5] = 0.5f;
            Device<float> dkx(kx);
            for (float temperature : {1.0f, 2.5f}) {
                CHECK_OK(edgeq_soft_target_kl_f32(ctx, nullptr, dkx.p, dt.p, dg.p, rows, classes, temperature, loss.p));
                g = dg.get();
                total = 0.0;
                bad = 0;
                double inv_t = 1.0 / static_cast<double>(temperature), scale = edgeq::kl_grad_scale(temperature, rows);
                for (int r = 0; r < rows; ++r) {
                    size_t at = static_cast<size_t>(r) * classes;
                    total += edgeq::kl_row(kx.data() + at, t.data() + at, classes, inv_t, scale, want.data());
                    for (int j = 0; j < classes; ++j) {
                        bad += flag(!within_ulps(g[at + j], want[j], 1), "gradient [%d, %d]: got %a, want %a", r, j,
                                    static_cast<double>(g[at + j]), static_cast<double>(want[j]));
                    }
                }
                double got_loss = loss.get()[0];
                bad += flag(!close_rel(got_loss, total, 1e-12), "KL sum: got %a, want %a", got_loss, total);
                std::snprintf(name, sizeof name, "soft_target_kl_f32 %dx%d T=%g%s (1 ulp, sum 1e-12)", rows, classes,
                              temperature, inf_logit ? ", a -inf logit: sum +inf" : "");
                report(name, bad, static_cast<long>(x.size()) + 1);
            }
        }
    }

    const int rows = 200, cols = 70;
    std::vector<float> a(static_cast<size_t>(rows) * cols);
    for (size_t i = 0; i < a.size(); ++i) {
        uint32_t k = static_cast<uint32_t>(rng() % 12);
        a[i] = k == 0 ? NAN : k == 1 ? -INFINITY : k == 2 ? -0.0f : static_cast<float>(rng() % 4);
    }
    for (int r = 0; r < rows; r += 9) a[static_cast<size_t>(r) * cols] = NAN;
    Device<float> da(a);
    Device<int32_t> dout(rows);
    CHECK_OK(edgeq_argmax_rows_f32(ctx, nullptr, da.p, dout.p, rows, cols));
    std::vector<int32_t> idx = dout.get();
    long bad = 0;
    for (int r = 0; r < rows; ++r) {
        const float* row = a.data() + static_cast<size_t>(r) * cols;
        int best = 0;
        for (int j = 1; j < cols; ++j) {
            if (row[j] > row[best]) best = j;
        }
        bad += idx[r] != best;
    }
    report("argmax_rows_f32 (CpuBackend's scan: ties, NaN, -0)", bad, rows);

    const size_t n = 100003;
    std::vector<float> p = awkward(n, 1.0f, 19), q = awkward(n, 0.7f, 20);
    for (size_t i = 0; i < n; ++i) {  // finite inputs: an infinite square would make the sum's check meaningless
        if (!std::isfinite(p[i])) p[i] = 1.0f;
        if (!std::isfinite(q[i])) q[i] = -1.0f;
    }
    Device<float> dp(p), dq(q), dd(n);
    Device<double> sum(1);
    CHECK_OK(edgeq_mse_f32(ctx, nullptr, dp.p, dq.p, dd.p, n, sum.p));
    std::vector<float> d = dd.get();
    double want = 0.0;
    bad = 0;
    float scale = edgeq::mse_grad_scale(static_cast<int64_t>(n));
    for (size_t i = 0; i < n; ++i) {
        float diff = edgeq::mse_diff(p[i], q[i]);
        want += edgeq::mse_square(diff);
        bad += !same(d[i], edgeq::mse_gradient(diff, scale));
    }
    bad += !close_rel(sum.get()[0], want, 1e-12);
    report("mse_f32 (gradient bit for bit, sum 1e-12)", bad, static_cast<long>(n) + 1);
}

void batch_norm_checks() {
    const int batch = 8, channels = 5;
    std::mt19937 rng(21);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int spatial : {1, 49}) {
        size_t total = static_cast<size_t>(batch) * channels * spatial;
        std::vector<float> x(total), dy(total), gamma(channels), beta(channels), rm(channels), rv(channels);
        for (float& v : x) v = 3.0f + 2.0f * normal(rng);
        for (float& v : dy) v = normal(rng);
        for (int c = 0; c < channels; ++c) {
            gamma[c] = 1.0f + 0.1f * static_cast<float>(c);
            beta[c] = 0.2f * static_cast<float>(c) - 0.4f;
            rm[c] = 0.1f * static_cast<float>(c);
            rv[c] = 1.0f + 0.05f * static_cast<float>(c);
        }
        for (int training = 1; training >= 0; --training) {
            Device<float> dx(x), dyv(total), dg(gamma), db(beta), drm(rm), drv(rv), dsm(channels), dsi(channels);
            CHECK_OK(edgeq_batch_norm_f32(ctx, nullptr, dx.p, dyv.p, dg.p, db.p, drm.p, drv.p, dsm.p, dsi.p, batch,
                                          channels, spatial, training, 0.1f, 1e-5f));
            std::vector<float> y = dyv.get(), grm = drm.get(), grv = drv.get(), gsm = dsm.get(), gsi = dsi.get();
            long bad = 0;
            int64_t count = static_cast<int64_t>(batch) * spatial;
            std::vector<float> sm(channels), si(channels);
            for (int c = 0; c < channels; ++c) {
                float mean, inv_std;
                float want_rm = rm[c], want_rv = rv[c];
                if (training) {
                    double s = 0.0, sq = 0.0;
                    for (int i = 0; i < batch; ++i)
                        for (int q = 0; q < spatial; ++q) s += x[(static_cast<size_t>(i) * channels + c) * spatial + q];
                    double m = edgeq::bn_mean(s, count);
                    for (int i = 0; i < batch; ++i)
                        for (int q = 0; q < spatial; ++q) sq += edgeq::bn_squared_deviation(x[(static_cast<size_t>(i) * channels + c) * spatial + q], m);
                    edgeq::BnBatchStats st = edgeq::bn_batch_stats(m, sq, count, 1e-5f);
                    mean = st.save_mean;
                    inv_std = st.inv_std;
                    want_rm = edgeq::bn_running(rm[c], 0.1f, st.mean);
                    want_rv = edgeq::bn_running(rv[c], 0.1f, st.unbiased);
                    bad += flag(!within_ulps(gsm[c], mean, 1), "save_mean[%d]: got %a, want %a", c,
                                static_cast<double>(gsm[c]), static_cast<double>(mean)) |
                           flag(!within_ulps(gsi[c], inv_std, 1), "save_inv_std[%d]: got %a, want %a", c,
                                static_cast<double>(gsi[c]), static_cast<double>(inv_std));
                } else {
                    mean = rm[c];
                    inv_std = edgeq::bn_inv_std(static_cast<double>(rv[c]), 1e-5f);
                }
                sm[c] = mean;
                si[c] = inv_std;
                bad += flag(!within_ulps(grm[c], want_rm, 1), "running_mean[%d]: got %a, want %a", c,
                            static_cast<double>(grm[c]), static_cast<double>(want_rm)) |
                       flag(!within_ulps(grv[c], want_rv, 1), "running_var[%d]: got %a, want %a", c,
                            static_cast<double>(grv[c]), static_cast<double>(want_rv));
                edgeq::BnAffine a = edgeq::bn_affine(gamma[c], beta[c], mean, inv_std);
                for (int i = 0; i < batch; ++i) {
                    for (int q = 0; q < spatial; ++q) {
                        size_t at = (static_cast<size_t>(i) * channels + c) * spatial + q;
                        float want = edgeq::bn_normalize(x[at], a);
                        bad += flag(std::fabs(y[at] - want) > 1e-5f * (1.0f + std::fabs(want)), "y[%zu]: got %a, want %a",
                                    at, static_cast<double>(y[at]), static_cast<double>(want));
                    }
                }
            }
            char name[96];
            std::snprintf(name, sizeof name, "batch_norm_f32 spatial=%d training=%d (stats 1 ulp, y 1e-5)", spatial, training);
            report(name, bad, static_cast<long>(total));
            if (!training) continue;
            Device<float> ddy(dy), ddx(total), dgam(channels), dbet(channels), dsm2(gsm), dsi2(gsi);
            CHECK_OK(edgeq_batch_norm_backward_f32(ctx, nullptr, dx.p, ddy.p, dg.p, dsm2.p, dsi2.p, ddx.p, dgam.p,
                                                   dbet.p, batch, channels, spatial));
            std::vector<float> gdx = ddx.get(), gg = dgam.get(), gb = dbet.get();
            bad = 0;
            for (int c = 0; c < channels; ++c) {
                double sdy = 0.0, sc = 0.0;
                for (int i = 0; i < batch; ++i) {
                    for (int q = 0; q < spatial; ++q) {
                        size_t at = (static_cast<size_t>(i) * channels + c) * spatial + q;
                        sdy += dy[at];
                        sc += edgeq::bn_centered_product(x[at], gsm[c], dy[at]);
                    }
                }
                edgeq::BnBackward k = edgeq::bn_backward_coefficients(sdy, sc, gamma[c], gsm[c], gsi[c], count);
                bad += flag(std::fabs(gg[c] - k.dgamma) > 1e-5f * (1.0f + std::fabs(k.dgamma)), "dgamma[%d]: got %a, want %a",
                            c, static_cast<double>(gg[c]), static_cast<double>(k.dgamma)) |
                       flag(std::fabs(gb[c] - k.dbeta) > 1e-5f * (1.0f + std::fabs(k.dbeta)), "dbeta[%d]: got %a, want %a",
                            c, static_cast<double>(gb[c]), static_cast<double>(k.dbeta));
                for (int i = 0; i < batch; ++i) {
                    for (int q = 0; q < spatial; ++q) {
                        size_t at = (static_cast<size_t>(i) * channels + c) * spatial + q;
                        float want = edgeq::bn_backward_dx(dy[at], x[at], k);
                        bad += flag(std::fabs(gdx[at] - want) > 1e-5f * (1.0f + std::fabs(want)), "dx[%zu]: got %a, want %a",
                                    at, static_cast<double>(gdx[at]), static_cast<double>(want));
                    }
                }
            }
            std::snprintf(name, sizeof name, "batch_norm_backward_f32 spatial=%d (1e-5)", spatial);
            report(name, bad, static_cast<long>(total));
        }
    }
}

void conv_checks() {
    const int geos[][7] = {{2, 3, 7, 6, 3, 2, 1}, {2, 4, 9, 9, 3, 1, 1}, {1, 2, 8, 7, 2, 3, 1}, {3, 1, 5, 4, 1, 1, 0}};
    for (const auto& geo : geos) {
        edgeq::ConvShape s = edgeq::conv_shape(geo[0], geo[1], geo[2], geo[3], geo[4], geo[5], geo[6]);
        size_t in_n = static_cast<size_t>(s.batch) * s.channels * s.height * s.width;
        size_t col_n = static_cast<size_t>(s.batch * edgeq::conv_pixels(s) * edgeq::conv_patch(s));
        std::vector<float> x = awkward(in_n, 1.0f, 22), cols = awkward(col_n, 1.0f, 23);
        for (float& v : cols) {
            if (!std::isfinite(v)) v = 0.5f;
        }
        Device<float> dx(x), dcols(col_n), dcin(cols), dback(in_n);
        CHECK_OK(edgeq_im2col_f32(ctx, nullptr, dx.p, dcols.p, s.batch, s.channels, s.height, s.width, s.kernel, s.stride, s.padding));
        std::vector<float> c = dcols.get();
        long bad = 0;
        for (size_t i = 0; i < col_n; ++i) {
            int64_t from = edgeq::im2col_source(s, static_cast<int64_t>(i));
            bad += !same(c[i], from < 0 ? 0.0f : x[static_cast<size_t>(from)]);
        }
        char name[96];
        std::snprintf(name, sizeof name, "im2col_f32 %dx%dx%dx%d k%d s%d p%d", geo[0], geo[1], geo[2], geo[3], geo[4], geo[5], geo[6]);
        report(name, bad, static_cast<long>(col_n));
        CHECK_OK(edgeq_col2im_f32(ctx, nullptr, dcin.p, dback.p, s.batch, s.channels, s.height, s.width, s.kernel, s.stride, s.padding));
        std::vector<float> back = dback.get();
        bad = 0;
        for (size_t i = 0; i < in_n; ++i) bad += !same(back[i], edgeq::col2im_gather(s, cols.data(), static_cast<int64_t>(i)));
        std::snprintf(name, sizeof name, "col2im_f32 %dx%dx%dx%d k%d s%d p%d", geo[0], geo[1], geo[2], geo[3], geo[4], geo[5], geo[6]);
        report(name, bad, static_cast<long>(in_n));
    }
    const int batch = 3, channels = 5, pixels = 37;
    size_t total = static_cast<size_t>(batch) * channels * pixels;
    std::vector<float> src = awkward(total, 1.0f, 24), bias = {0.5f, -1.0f, NAN, 0.0f, 1e30f};
    Device<float> dsrc(src), dbias(bias), dst(total), round(total);
    for (int with_bias = 0; with_bias < 2; ++with_bias) {
        CHECK_OK(edgeq_pixels_to_nchw_f32(ctx, nullptr, dsrc.p, with_bias ? dbias.p : nullptr, dst.p, batch, channels, pixels));
        std::vector<float> d = dst.get();
        long bad = 0;
        for (size_t i = 0; i < total; ++i) {
            float v = src[static_cast<size_t>(edgeq::pixel_major_index(static_cast<int64_t>(i), channels, pixels))];
            if (with_bias) v = edgeq::add_bias(v, bias[(i / pixels) % channels]);
            bad += !same(d[i], v);
        }
        report(with_bias ? "pixels_to_nchw_f32 (bias)" : "pixels_to_nchw_f32", bad, static_cast<long>(total));
    }
    CHECK_OK(edgeq_pixels_to_nchw_f32(ctx, nullptr, dsrc.p, nullptr, dst.p, batch, channels, pixels));
    CHECK_OK(edgeq_nchw_to_pixels_f32(ctx, nullptr, dst.p, round.p, batch, channels, pixels));
    std::vector<float> r = round.get();
    long bad = 0;
    for (size_t i = 0; i < total; ++i) bad += !same(r[i], src[i]);
    report("nchw_to_pixels_f32 inverts pixels_to_nchw_f32", bad, static_cast<long>(total));
}

// f32 GEMM on small integers (exact in float while |sums| < 2^24), alpha 1.5 and beta 0 (C full of NaN) or 0.5.
void gemm_f32_checks() {
    const int shapes[][3] = {{67, 45, 131}, {1, 1, 1}, {128, 128, 8}, {129, 200, 77}, {300, 16, 75}, {16, 300, 75},
                             {256, 256, 256}, {5, 7, 0}, {128, 64, 64}, {1000, 12, 27}};
    std::mt19937 rng(25);
    for (const auto& shape : shapes) {
        int m = shape[0], n = shape[1], k = shape[2];
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                for (int shift = 0; shift < 2; ++shift) {  // shift 1: misaligned pointers force the scalar loads
                    std::vector<float> a(static_cast<size_t>(m) * k + 1), b(static_cast<size_t>(k) * n + 1);
                    for (float& v : a) v = static_cast<float>(static_cast<int>(rng() % 9) - 4);
                    for (float& v : b) v = static_cast<float>(static_cast<int>(rng() % 9) - 4);
                    for (int beta_case = 0; beta_case < 2; ++beta_case) {
                        float beta = beta_case ? 0.5f : 0.0f;
                        std::vector<float> c(static_cast<size_t>(m) * n + 1);
                        for (size_t i = 0; i < c.size(); ++i) c[i] = beta_case ? static_cast<float>(static_cast<int>(i % 7) - 3) : NAN;
                        Device<float> da(a), db(b), dc(c);
                        CHECK_OK(edgeq_gemm_f32(ctx, nullptr, ta, tb, m, n, k, 1.5f, da.p + shift, db.p + shift, beta, dc.p + shift));
                        std::vector<float> got = dc.get();
                        long bad = 0;
                        for (int i = 0; i < m; ++i) {
                            for (int j = 0; j < n; ++j) {
                                int64_t acc = 0;
                                for (int kk = 0; kk < k; ++kk) {
                                    float av = ta ? a[shift + static_cast<size_t>(kk) * m + i] : a[shift + static_cast<size_t>(i) * k + kk];
                                    float bv = tb ? b[shift + static_cast<size_t>(j) * k + kk] : b[shift + static_cast<size_t>(kk) * n + j];
                                    acc += static_cast<int64_t>(av) * static_cast<int64_t>(bv);
                                }
                                size_t at = shift + static_cast<size_t>(i) * n + j;
                                float want = 1.5f * static_cast<float>(acc) + (beta_case ? beta * c[at] : 0.0f);
                                bad += !same(got[at], want);
                            }
                        }
                        char name[112];
                        std::snprintf(name, sizeof name, "gemm_f32 %dx%dx%d trans_a=%d trans_b=%d beta=%g%s", m, n, k, ta, tb,
                                      beta, shift ? " (unaligned)" : "");
                        report(name, bad, static_cast<long>(m) * n);
                    }
                }
            }
        }
    }
}

// alpha == 0 (and k == 0): C = beta * C without reading A and B, which hold NaN here.
void gemm_f32_scale_checks() {
    const int m = 37, n = 29, k = 11;
    std::vector<float> a(static_cast<size_t>(m) * k, NAN), b(static_cast<size_t>(k) * n, INFINITY), c(static_cast<size_t>(m) * n);
    for (size_t i = 0; i < c.size(); ++i) c[i] = static_cast<float>(static_cast<int>(i % 11) - 5);
    for (float beta : {0.0f, -2.0f}) {
        for (int kk : {k, 0}) {
            Device<float> da(a), db(b), dc(c);
            CHECK_OK(edgeq_gemm_f32(ctx, nullptr, 0, 1, m, n, kk, kk == 0 ? 1.0f : 0.0f, da.p, db.p, beta, dc.p));
            std::vector<float> got = dc.get();
            long bad = 0;
            for (size_t i = 0; i < c.size(); ++i) bad += !same(got[i], beta == 0.0f ? 0.0f : beta * c[i]);
            char name[96];
            std::snprintf(name, sizeof name, "gemm_f32 %s, beta=%g: C = beta * C", kk == 0 ? "k=0" : "alpha=0 over NaN A", beta);
            report(name, bad, static_cast<long>(c.size()));
        }
    }
}

// The observer step, affine parameters and scale clamp against the host evaluation of edgeq/observer.cuh: per
// tensor (the grid of partials) and per channel, every fold, first and later steps, a NaN channel skipped.
void observer_checks() {
    const int64_t channels = 9, inner = 5003;
    std::vector<float> x = awkward(channels * inner, 0.02f, 3);
    for (int64_t i = 0; i < channels * inner; ++i) {
        if (x[i] != x[i] || std::isinf(x[i])) x[i] = 0.5f;  // finite except for channel 4 below
    }
    x[4 * inner + 17] = NAN;
    Device<float> dx(x);
    for (int kind = 0; kind < 3; ++kind) {
        for (int64_t ch : {int64_t{1}, channels}) {
            int64_t in = channels * inner / ch;
            std::vector<float> lo(ch, 0.25f), hi(ch, 0.75f);
            Device<float> dlo(lo), dhi(hi);
            long bad = 0;
            for (int step = 0; step < 2; ++step) {
                const float* src = dx.p + step;  // the second step sees the tensor shifted by one element
                CHECK_OK(edgeq_fold_extremes_f32(ctx, nullptr, src, ch, in - (step && ch == 1 ? 1 : 0), dlo.p, dhi.p,
                                                 kind, 0.01f, step == 0));
                for (int64_t c = 0; c < ch; ++c) {
                    float mn = INFINITY, mx = -INFINITY;
                    int64_t len = in - (step && ch == 1 ? 1 : 0);
                    for (int64_t i = 0; i < len; ++i) {
                        mn = edgeq::java_minf(mn, x[step + c * in + i]);
                        mx = edgeq::java_maxf(mx, x[step + c * in + i]);
                    }
                    edgeq::fold_range(lo[c], hi[c], mn, mx, kind, 0.01f, step == 0);
                }
                std::vector<float> glo = dlo.get(), ghi = dhi.get();
                for (int64_t c = 0; c < ch; ++c) bad += !same(glo[c], lo[c]) || !same(ghi[c], hi[c]);
            }
            char name[96];
            std::snprintf(name, sizeof name, "fold_extremes_f32 (fold %d, %lld channels)", kind, static_cast<long long>(ch));
            report(name, bad, 2 * ch);
        }
    }
    std::vector<float> mins = {-1.0f, 0.0f, -0.0f, 0.0f, -3.5f, 1e-30f, -1e30f, 2.0f};
    std::vector<float> maxs = {1.0f, 0.0f, 0.0f, 7.25f, 3.5f, 2e-30f, 1e30f, 3.0f};
    const int64_t n = static_cast<int64_t>(mins.size());
    Device<float> dmins(mins), dmaxs(maxs), dscales(n);
    Device<int32_t> dzeros(n);
    for (int symmetric = 0; symmetric < 2; ++symmetric) {
        for (int32_t bits : {3, 8}) {
            int32_t qmin = symmetric ? -(1 << (bits - 1)) + 1 : 0, qmax = symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
            CHECK_OK(edgeq_affine_params_f32(ctx, nullptr, dmins.p, dmaxs.p, dscales.p, dzeros.p, n, qmin, qmax, symmetric));
            std::vector<float> gs = dscales.get();
            std::vector<int32_t> gz = dzeros.get();
            long bad = 0;
            for (int64_t c = 0; c < n; ++c) {
                float es = edgeq::affine_scale(mins[c], maxs[c], qmin, qmax, symmetric != 0);
                bad += !same(gs[c], es) || gz[c] != edgeq::affine_zero_point(mins[c], es, qmin, qmax, symmetric != 0);
            }
            report(symmetric ? "affine_params_f32 (symmetric)" : "affine_params_f32 (asymmetric)", bad, n);
        }
    }
    std::vector<float> sc = {1.0f, 0.0f, -2.0f, NAN, 1e-9f, edgeq::kMinScale, INFINITY};
    Device<float> dsc(sc);
    CHECK_OK(edgeq_clamp_scales_f32(ctx, nullptr, dsc.p, static_cast<int64_t>(sc.size()), edgeq::kMinScale));
    std::vector<float> gc = dsc.get();
    long bad = 0;
    for (size_t i = 0; i < sc.size(); ++i) bad += !same(gc[i], edgeq::clamp_scale(sc[i], edgeq::kMinScale));
    report("clamp_scales_f32", bad, static_cast<long>(sc.size()));
}

}  // namespace

int main() {
    int32_t count = 0;
    if (edgeq_device_count(&count) != EDGEQ_OK || count == 0) {
        std::printf("gpu_check: no CUDA device: %s\n", edgeq_last_error());
        return 2;
    }
    if (edgeq_context_create(0, &ctx) != EDGEQ_OK) {
        std::printf("gpu_check: %s\n", edgeq_last_error());
        return 2;
    }
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    std::printf("gpu_check on %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
    fake_quant_checks();
    observer_checks();
    random_checks();
    optimiser_checks();
    pool_checks();
    gemm_checks();
    elementwise_checks();
    reduction_checks();
    loss_checks();
    batch_norm_checks();
    conv_checks();
    gemm_f32_checks();
    gemm_f32_scale_checks();
    edgeq_context_destroy(ctx);
    std::printf("gpu_check: %s\n", failures == 0 ? "all passed" : "FAILURES");
    return failures == 0 ? 0 : 1;
}
