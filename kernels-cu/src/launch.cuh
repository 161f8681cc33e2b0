// Grid sizing shared by the element-wise kernels: grid-stride loops over at most kMaxBlocks blocks.
#pragma once

#include <cstdint>

namespace edgeq::kernels {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535LL * 8;

inline unsigned grid_for(int64_t work) {
    int64_t blocks = (work + kThreads - 1) / kThreads;
    if (blocks < 1) blocks = 1;
    return static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

inline bool aligned16(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

}  // namespace edgeq::kernels
