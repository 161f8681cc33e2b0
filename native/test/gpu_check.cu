// Runs every entry point of libedgeq_cuda.so on the GPU and compares with the host build of the same formula headers
// (bit for bit where the host test is bit-exact; GEMMs against naive int64 / double loops). Built by native/build.sh;
// run it on a GPU machine: native/build/gpu_check (exit 0 = all passed, 1 = a mismatch, 2 = no device).
// Never run yet: this repository has not been on a GPU machine.
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "edgeq.h"
#include "edgeq/activations.cuh"
#include "edgeq/adam.cuh"
#include "edgeq/fake_quant.cuh"
#include "edgeq/landmark.cuh"
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

void report(const char* name, long bad, long total) {
    std::printf("%s %s: %ld of %ld elements differ\n", bad == 0 ? "PASS" : "FAIL", name, bad, total);
    if (bad != 0) ++failures;
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
    Device<float> dx_(x), ddy(dy), dy_out(n), dout(n);
    Device<double> dsum(1);
    edgeq::CodeRange r = edgeq::code_range(z, qmin, qmax);
    float inv = edgeq::reciprocal(s);
    for (int shift = 0; shift < 2; ++shift) {  // aligned (float4 path) and shifted by one float (scalar path)
        CHECK_OK(edgeq_fake_quant_f32(ctx, nullptr, dx_.p + shift, dout.p + shift, n - shift, s, z, qmin, qmax));
        std::vector<float> y = dout.get();
        long bad = 0;
        for (size_t i = shift; i < n; ++i) bad += !same(y[i], edgeq::fake_quant_value(x[i], s, inv, r));
        report(shift ? "fake_quant_f32 (unaligned)" : "fake_quant_f32 (float4)", bad, n - shift);
    }
    CHECK_OK(edgeq_fake_quant_backward_f32(ctx, nullptr, dx_.p, ddy.p, dy_out.p, n, s, z, qmin, qmax));
    std::vector<float> g = dy_out.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(g[i], edgeq::ste_gradient(x[i], dy[i], inv, r));
    report("fake_quant_backward_f32", bad, n);
    CHECK_OK(edgeq_fake_quant_lsq_backward_f32(ctx, nullptr, dx_.p, ddy.p, dy_out.p, dsum.p, n, s, z, qmin, qmax));
    double expected = 0.0;
    for (size_t i = 0; i < n; ++i) expected += static_cast<double>(dy[i]) * edgeq::lsq_slope(x[i], inv, r);
    double got = dsum.get()[0];
    report("fake_quant_lsq_backward_f32 (sum within 1e-9 relative)", std::fabs(got - expected) > 1e-9 * std::fabs(expected) + 1e-9, 1);

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

    Device<int8_t> q(n);
    CHECK_OK(edgeq_quantize_f32_i8(ctx, nullptr, dx_.p, q.p, n, s, z, qmin, qmax));
    std::vector<int8_t> qh = q.get();
    bad = 0;
    for (size_t i = 0; i < n; ++i) bad += qh[i] != edgeq::quantize_code(x[i], inv, z, r);
    report("quantize_f32_i8", bad, n);
    CHECK_OK(edgeq_dequantize_i8_f32(ctx, nullptr, q.p, dout.p, n, s, z));
    std::vector<float> dq = dout.get();
    bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(dq[i], edgeq::dequantize_code(qh[i], s, z));
    report("dequantize_i8_f32", bad, n);
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
    std::vector<float> points = {-1.0f, -0.25f, 0.0f, 0.5f, 2.0f};
    Device<float> dp(points);
    CHECK_OK(edgeq_landmark_nearest_f32(ctx, nullptr, dx_.p, y.p, n, dp.p, 5));
    std::vector<float> yh = y.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(yh[i], points[edgeq::landmark_nearest(points.data(), 5, x[i])]);
    report("landmark_nearest_f32", bad, n);
    CHECK_OK(edgeq_landmark_stochastic_f32(ctx, nullptr, dx_.p, y.p, n, dp.p, 5, seed, offset));
    yh = y.get();
    bad = 0;
    for (size_t i = 0; i < n; ++i) {
        bad += !same(yh[i], points[edgeq::landmark_stochastic(points.data(), 5, x[i], edgeq::philox_uniform(seed, offset + i))]);
    }
    report("landmark_stochastic_f32", bad, n);
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
    Device<float> dw(w), out(n), dmask(mask);
    CHECK_OK(edgeq_relu_f32(ctx, nullptr, dw.p, out.p, n));
    std::vector<float> r = out.get();
    long bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(r[i], edgeq::relu_value(w[i]));
    report("relu_f32", bad, n);
    CHECK_OK(edgeq_mask_apply_f32(ctx, nullptr, dw.p, dmask.p, n));
    r = dw.get();
    bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same(r[i], edgeq::apply_mask(w[i], mask[i]));
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
    random_checks();
    optimiser_checks();
    pool_checks();
    gemm_checks();
    edgeq_context_destroy(ctx);
    std::printf("gpu_check: %s\n", failures == 0 ? "all passed" : "FAILURES");
    return failures == 0 ? 0 : 1;
}
