// Host build of the kernel formula headers, driven by text records for the Java golden-vector test
// (org.edgeq.backend.cuda.KernelFormulasHostTest). One record per input line, one result line per record.
// Integers are decimal or 0x-hex; floats travel as their IEEE bits in 0x-hex, so nothing is lost to printing.
//
//   fq X S Z QMIN QMAX                 -> Y STE SLOPE CODE      fake_quant_value, ste_passes, lsq_slope, quantize_code
//   deq Q S Z                          -> Y                     dequantize_code
//   philox SEED INDEX                  -> WORD U                philox_word, philox_uniform
//   dropout SEED INDEX P X             -> MASK Y                dropout_mask(philox_uniform(SEED, INDEX)), x * mask
//   nearest COUNT P1 .. PCOUNT V       -> INDEX                 landmark_nearest
//   stochastic COUNT P1 .. PCOUNT V U  -> INDEX                 landmark_stochastic
//   requant ACC BIAS MULT SHIFT ZP     -> Q                     requantize_i32_to_i8
//   dot4 A B C                         -> R                     dot4_i8
//   relu X                             -> Y                     relu_value
//   relugrad Y DY                      -> DX                    relu_gradient
//   bias X B                           -> Y                     add_bias
//   pool H W WIN STRIDE X1 .. X(H*W)   -> Y1 A1 Y2 A2 ...       max_pool_window over one plane (value, argmax)
//   adam W G M V LR B1 B2 EPS WD DECOUPLED STEP -> W M V        masked_adam_update with mask 1 (= adam_update)
//   madam W G M V MASK LR B1 B2 EPS WD DECOUPLED STEP -> W M V  masked_adam_update
//
// Build: g++ -std=c++17 -O2 -ffp-contract=off -I../include host_check.cpp (no -ffast-math, no -march flags that
// would allow contraction).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeq/activations.cuh"
#include "edgeq/adam.cuh"
#include "edgeq/fake_quant.cuh"
#include "edgeq/landmark.cuh"
#include "edgeq/philox.cuh"
#include "edgeq/pool.cuh"
#include "edgeq/requantize.cuh"

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

std::string evaluate(Reader& r) {
    std::ostringstream out;
    const std::string op = r.token();
    if (op == "fq") {
        float x = r.f32(), s = r.f32();
        int32_t z = r.i32(), qmin = r.i32(), qmax = r.i32();
        edgeq::CodeRange range = edgeq::code_range(z, qmin, qmax);
        float inv = edgeq::reciprocal(s);
        out << hex(bits_of(edgeq::fake_quant_value(x, s, inv, range))) << ' ' << (edgeq::ste_passes(x, inv, range) ? 1 : 0)
            << ' ' << hex(bits_of(edgeq::lsq_slope(x, inv, range))) << ' ' << edgeq::quantize_code(x, inv, z, range);
    } else if (op == "deq") {
        int32_t q = r.i32();
        float s = r.f32();
        int32_t z = r.i32();
        out << hex(bits_of(edgeq::dequantize_code(q, s, z)));
    } else if (op == "philox") {
        uint64_t seed = r.u64(), index = r.u64();
        out << hex(edgeq::philox_word(seed, index)) << ' ' << hex(bits_of(edgeq::philox_uniform(seed, index)));
    } else if (op == "dropout") {
        uint64_t seed = r.u64(), index = r.u64();
        float p = r.f32(), x = r.f32();
        float m = edgeq::dropout_mask(edgeq::philox_uniform(seed, index), p, edgeq::dropout_keep_scale(p));
        out << hex(bits_of(m)) << ' ' << hex(bits_of(edgeq::fmul_rn(x, m)));
    } else if (op == "nearest" || op == "stochastic") {
        int count = r.i32();
        std::vector<float> points(static_cast<size_t>(count));
        for (float& p : points) p = r.f32();
        float v = r.f32();
        if (op == "nearest") out << edgeq::landmark_nearest(points.data(), count, v);
        else out << edgeq::landmark_stochastic(points.data(), count, v, r.f32());
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
