// Nearest-landmark and stochastic rounding onto a codebook sorted ascending: ties go to the lower landmark, values
// outside the set clamp to an end, NaN maps to index 0. This is EdgeQ's GPU primitive for sorted codebooks, not the
// seed's rounding: org.edgeq.quant.SeedRounding (stored order, ties up, scipy's binning) runs on the host and no
// Java path calls these kernels yet.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** First index whose landmark is >= v (n if none); `points` sorted ascending, n >= 1. */
EDGEQ_HD int landmark_ceiling(const float* points, int n, float v) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = static_cast<int>(static_cast<unsigned>(lo + hi) >> 1);
        if (points[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

EDGEQ_HD int landmark_nearest(const float* points, int n, float v) {
    int above = landmark_ceiling(points, n, v);
    if (above == 0) return 0;
    if (above == n) return n - 1;
    int below = above - 1;
    return fsub_rn(v, points[below]) <= fsub_rn(points[above], v) ? below : above;
}

/** Above with probability (v - below) / (above - below), computed in double, decided by u < p. */
EDGEQ_HD int landmark_stochastic(const float* points, int n, float v, float u) {
    int above = landmark_ceiling(points, n, v);
    if (above == 0) return 0;
    if (above == n) return n - 1;
    if (points[above] == v) return above;
    int below = above - 1;
    double p_up = (static_cast<double>(v) - points[below]) / (static_cast<double>(points[above]) - points[below]);
    return u < p_up ? above : below;
}

}  // namespace edgeq
