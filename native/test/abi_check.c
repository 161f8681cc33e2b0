/*
 * Exercises libedgeq_cuda.so's C ABI where no GPU is needed: status names, the ABI version, argument checks that
 * must fail before any launch with a message naming the function and argument, and device discovery that must
 * report "no device" (not abort) on a machine without a GPU. Run by native/build.sh after every build; exits 1 on the
 * first broken promise, printing it.
 */
#include <stdio.h>
#include <string.h>

#include "edgeq.h"

static int failures = 0;

static void expect(int ok, const char* what) {
    if (!ok) {
        fprintf(stderr, "abi_check: FAILED: %s (last error: \"%s\")\n", what, edgeq_last_error());
        failures++;
    }
}

int main(void) {
    expect(edgeq_abi_version() == EDGEQ_ABI_VERSION, "edgeq_abi_version() == EDGEQ_ABI_VERSION");
    expect(strcmp(edgeq_status_name(EDGEQ_ERROR_NO_DEVICE), "EDGEQ_ERROR_NO_DEVICE") == 0, "status names");

    float x[4] = {0};
    float one = 1.0f;
    int32_t zero = 0;
    edgeq_status s = edgeq_fake_quant_f32(NULL, NULL, x, x, 4, &one, &zero, -8, 7);
    expect(s == EDGEQ_ERROR_INVALID_ARGUMENT, "NULL context is an invalid argument");
    expect(strstr(edgeq_last_error(), "edgeq_fake_quant_f32: context is NULL") != NULL, "message names the function and argument");

    /* Every entry point checks its arguments before the context: refused (and named) even without a device. */
    expect(edgeq_fake_quant_f32(NULL, NULL, x, x, 4, NULL, &zero, -8, 7) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_fake_quant_f32: scale is NULL") != NULL, "fake quant needs its scale");
    expect(edgeq_fold_extremes_f32(NULL, NULL, x, 2, 2, x, x, 3, 0.0f, 1) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_fold_extremes_f32: fold must be 0, 1 or 2") != NULL, "fold refuses an unknown rule");
    expect(edgeq_affine_params_f32(NULL, NULL, x, x, x, NULL, 2, 0, 255, 0) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_affine_params_f32: zero_points is NULL") != NULL, "affine params need zero points");
    expect(edgeq_dropout_f32(NULL, NULL, x, x, x, 4, 2.0f, 0, 0) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_dropout_f32: p = ") != NULL, "dropout refuses p > 1");
    expect(edgeq_mask_apply_f32(NULL, NULL, x, NULL, 4) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_mask_apply_f32: mask is NULL") != NULL, "mask apply needs a mask");
    expect(edgeq_max_pool2d_f32(NULL, NULL, x, x, NULL, 1, 1, 2, 2, 3, 1) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "invalid pooling geometry") != NULL, "max pool refuses a window larger than the input");
    double sum = 0.0;
    int32_t flag = 0;
    expect(edgeq_softmax_cross_entropy_f32(NULL, NULL, x, NULL, NULL, 1, 0, &sum, &flag) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_softmax_cross_entropy_f32: classes = 0 must be >= 1") != NULL,
           "softmax cross-entropy refuses 0 classes");
    expect(edgeq_softmax_cross_entropy_f32(NULL, NULL, x, NULL, NULL, 1, 4, &sum, &flag) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "labels is NULL") != NULL, "softmax cross-entropy needs labels");
    expect(edgeq_softmax_cross_entropy_f32(NULL, NULL, x, (const int32_t*) x, x, 1, 4, &sum, &flag) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "dlogits may not alias logits") != NULL, "softmax cross-entropy refuses aliasing");
    expect(edgeq_soft_target_kl_f32(NULL, NULL, x, x, NULL, 1, 4, 0.0f, &sum) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_soft_target_kl_f32: temperature") != NULL, "KL refuses temperature 0");
    expect(edgeq_soft_target_kl_f32(NULL, NULL, x, x, NULL, 1, 4, 1.0f / 0.0f, &sum) == EDGEQ_ERROR_INVALID_ARGUMENT,
           "KL refuses an infinite temperature");
    expect(edgeq_sum_f64(NULL, NULL, x, 4, 0, NULL) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_sum_f64: out is NULL") != NULL, "sum needs out");
    expect(edgeq_axpy_f32(NULL, NULL, 1.0f, x, x, -1) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_axpy_f32: n = -1 must be >= 0") != NULL, "axpy refuses negative n");
    expect(edgeq_im2col_f32(NULL, NULL, x, x + 1, 1, 1, 2, 2, 5, 1, 1) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_im2col_f32: invalid convolution geometry") != NULL,
           "im2col refuses a kernel larger than the padded input");
    expect(edgeq_col2im_f32(NULL, NULL, x, x + 1, 1, 1, 4, 4, 3, 0, 1) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "stride=0") != NULL, "col2im refuses stride 0");
    expect(edgeq_gemm_f32(NULL, NULL, 0, 0, -1, 2, 2, 1.0f, x, x, 0.0f, x + 2) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_gemm_f32: m, n, k = -1, 2, 2 must be >= 0") != NULL, "GEMM refuses m < 0");
    expect(edgeq_gemm_f32(NULL, NULL, 0, 0, 2, 2, 2, 1.0f, x, x, 0.0f, x) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "c may not alias a") != NULL, "GEMM refuses C aliasing A");
    expect(edgeq_batch_norm_f32(NULL, NULL, x, x + 1, x, x, x, x, x, x, 2, 1, 1, 1, 0.1f, 0.0f) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_batch_norm_f32: eps") != NULL, "batch norm refuses eps 0");
    expect(edgeq_argmax_rows_f32(NULL, NULL, x, NULL, 2, 0) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "cols = 0 must be >= 1") != NULL, "argmax refuses rows without columns");
    expect(edgeq_fill_f32(NULL, NULL, x, 4, 0.0f) == EDGEQ_ERROR_INVALID_ARGUMENT &&
           strstr(edgeq_last_error(), "edgeq_fill_f32: context is NULL") != NULL, "valid arguments, NULL context: refused");

    edgeq_status c = edgeq_context_create(0, NULL);
    expect(c == EDGEQ_ERROR_INVALID_ARGUMENT, "NULL out pointer is an invalid argument");

    int32_t count = -1;
    edgeq_status d = edgeq_device_count(&count);
    if (d == EDGEQ_OK) {
        printf("abi_check: %d CUDA device(s) visible\n", count);
        edgeq_context* ctx = NULL;
        expect(edgeq_context_create(0, &ctx) == EDGEQ_OK, "context on device 0");
        expect(edgeq_fake_quant_f32(ctx, NULL, x, x, 4, &one, &zero, 7, -8) == EDGEQ_ERROR_INVALID_ARGUMENT, "qmin > qmax refused");
        expect(strstr(edgeq_last_error(), "qmin") != NULL, "message names qmin");
        expect(edgeq_fake_quant_f32(ctx, NULL, x, x, -1, &one, &zero, -8, 7) == EDGEQ_ERROR_INVALID_ARGUMENT, "negative n refused");
        expect(edgeq_context_destroy(ctx) == EDGEQ_OK, "destroy");
    } else {
        expect(d == EDGEQ_ERROR_NO_DEVICE || d == EDGEQ_ERROR_CUDA, "no GPU: NO_DEVICE or CUDA error, not a crash");
        expect(count == 0, "no GPU: count is 0");
        expect(strlen(edgeq_last_error()) > 0, "no GPU: a reason is given");
        printf("abi_check: no usable CUDA device (%s: %s)\n", edgeq_status_name(d), edgeq_last_error());
        edgeq_context* ctx = (edgeq_context*) 1;
        expect(edgeq_context_create(0, &ctx) != EDGEQ_OK && ctx == NULL, "no GPU: context creation fails cleanly");
    }
    expect(edgeq_context_destroy(NULL) == EDGEQ_OK, "destroying NULL is allowed");
    if (failures == 0) printf("abi_check: all C ABI checks passed\n");
    return failures == 0 ? 0 : 1;
}
