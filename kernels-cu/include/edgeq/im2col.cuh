// Index maps of the convolution building blocks (edgeq.h: im2col, col2im, pixels_to_nchw, nchw_to_pixels).
// cols is [batch * P, R] row-major with P = out_h * out_w pixels per image and R = channels * kernel * kernel:
//   cols[(n * P + oy * out_w + ox) * R + (c * kernel + ky) * kernel + kx] = x[n, c, oy * stride - pad + ky, ox * stride - pad + kx]
// (0 outside the image). col2im gathers, for one input element, the cols entries that copy it in ascending (ky, kx)
// order starting from +0 — the order in which CpuConvolution.col2im adds them, so both give the same bits.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

struct ConvShape {
    int batch, channels, height, width, kernel, stride, padding;
    int out_h, out_w;
};

EDGEQ_HD ConvShape conv_shape(int batch, int channels, int height, int width, int kernel, int stride, int padding) {
    return ConvShape{batch, channels, height, width, kernel, stride, padding,
                     (height + 2 * padding - kernel) / stride + 1, (width + 2 * padding - kernel) / stride + 1};
}

EDGEQ_HD int64_t conv_pixels(const ConvShape& s) {
    return static_cast<int64_t>(s.out_h) * s.out_w;
}

EDGEQ_HD int64_t conv_patch(const ConvShape& s) {
    return static_cast<int64_t>(s.channels) * s.kernel * s.kernel;
}

/** The flat x index im2col copies into cols[index], or -1 where it writes a padding zero. */
EDGEQ_HD int64_t im2col_source(const ConvShape& s, int64_t index) {
    int64_t patch = conv_patch(s), pixels = conv_pixels(s);
    int64_t row = index / patch;
    int r = static_cast<int>(index - row * patch);
    int64_t n = row / pixels;
    int p = static_cast<int>(row - n * pixels);
    int oy = p / s.out_w, ox = p - oy * s.out_w;
    int kk = s.kernel * s.kernel;
    int c = r / kk, k = r - c * kk;
    int ky = k / s.kernel, kx = k - ky * s.kernel;
    int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
    if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) return -1;
    return ((n * s.channels + c) * s.height + iy) * static_cast<int64_t>(s.width) + ix;
}

/** col2im for the input element at flat index `index` of x: the sum of its copies in cols, (ky, kx) ascending. */
EDGEQ_HD float col2im_gather(const ConvShape& s, const float* cols, int64_t index) {
    int64_t plane = static_cast<int64_t>(s.height) * s.width;
    int64_t nc = index / plane;
    int rem = static_cast<int>(index - nc * plane);
    int iy = rem / s.width, ix = rem - iy * s.width;
    int64_t n = nc / s.channels;
    int c = static_cast<int>(nc - n * s.channels);
    int64_t patch = conv_patch(s);
    const float* base = cols + n * conv_pixels(s) * patch + static_cast<int64_t>(c) * s.kernel * s.kernel;
    float acc = 0.0f;
    for (int ky = 0; ky < s.kernel; ++ky) {
        int ty = iy + s.padding - ky;
        if (ty < 0) break;  // ty only falls as ky rises
        if (ty % s.stride != 0) continue;
        int oy = ty / s.stride;
        if (oy >= s.out_h) continue;
        for (int kx = 0; kx < s.kernel; ++kx) {
            int tx = ix + s.padding - kx;
            if (tx < 0) break;
            if (tx % s.stride != 0) continue;
            int ox = tx / s.stride;
            if (ox >= s.out_w) continue;
            acc = fadd_rn(acc, base[(static_cast<int64_t>(oy) * s.out_w + ox) * patch + ky * s.kernel + kx]);
        }
    }
    return acc;
}

/** The [batch * pixels, channels] index of NCHW element (n, c, p) for pixels_to_nchw / nchw_to_pixels. */
EDGEQ_HD int64_t pixel_major_index(int64_t nchw_index, int channels, int pixels) {
    int64_t nc = nchw_index / pixels;
    int p = static_cast<int>(nchw_index - nc * pixels);
    int64_t n = nc / channels;
    int c = static_cast<int>(nc - n * channels);
    return (n * pixels + p) * channels + c;
}

}  // namespace edgeq
