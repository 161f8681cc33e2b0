// Philox4x32-10 and its uniform mapping, bit-identical to org.edgeq.backend.Philox: element `index` of the stream
// keyed by `seed` takes word index % 4 of the block for counter {index / 4 (64 bits in words 0, 1), 0, 0} under key
// {seed low, seed high}; the uniform is (word >> 8) * 2^-24, in [0, 1).
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

struct Philox4 {
    uint32_t w[4];
};

EDGEQ_HD uint32_t mul_hi_u32(uint32_t a, uint32_t b) {
#if defined(__CUDA_ARCH__)
    return __umulhi(a, b);
#else
    return static_cast<uint32_t>((static_cast<uint64_t>(a) * b) >> 32);
#endif
}

EDGEQ_HD Philox4 philox4x32_10(Philox4 c, uint32_t k0, uint32_t k1) {
    constexpr uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += W0;
            k1 += W1;
        }
        uint32_t hi0 = mul_hi_u32(M0, c.w[0]), lo0 = M0 * c.w[0];
        uint32_t hi1 = mul_hi_u32(M1, c.w[2]), lo1 = M1 * c.w[2];
        Philox4 n{{hi1 ^ c.w[1] ^ k0, lo1, hi0 ^ c.w[3] ^ k1, lo0}};
        c = n;
    }
    return c;
}

/** The block holding element `index` (index / 4) for stream `seed`. */
EDGEQ_HD Philox4 philox_block_for(uint64_t seed, uint64_t index) {
    uint64_t block = index >> 2;
    Philox4 c{{static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), 0u, 0u}};
    return philox4x32_10(c, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

EDGEQ_HD uint32_t philox_word(uint64_t seed, uint64_t index) {
    return philox_block_for(seed, index).w[index & 3];
}

/** The top 24 bits times 2^-24: exact in float, in [0, 1). */
EDGEQ_HD float philox_to_uniform(uint32_t word) {
    return static_cast<float>(word >> 8) * 0x1.0p-24f;
}

EDGEQ_HD float philox_uniform(uint64_t seed, uint64_t index) {
    return philox_to_uniform(philox_word(seed, index));
}

/** Inverted-dropout mask value: 0 with probability p, else keep = (p >= 1 ? 0 : 1 / (1 - p)). */
EDGEQ_HD float dropout_keep_scale(float p) {
    return p >= 1.0f ? 0.0f : fdiv_rn(1.0f, fsub_rn(1.0f, p));
}

EDGEQ_HD float dropout_mask(float u, float p, float keep) {
    return u < p ? 0.0f : keep;
}

}  // namespace edgeq
