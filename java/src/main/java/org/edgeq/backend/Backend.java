package org.edgeq.backend;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * The primitive operations every compute backend implements; everything above this interface (layers, training,
 * compression) is backend-agnostic, and one conformance suite checks every implementation against the CPU one.
 *
 * <p>Conventions: tensors are dense row-major F32 unless stated; a 2-D tensor [rows, cols] is a matrix; an
 * operation never allocates tensors visible to the caller (outputs are passed in), so a training loop allocates
 * nothing per batch once its buffers exist. Shapes are checked before any work and a mismatch throws
 * {@link IllegalArgumentException} naming the operation and the shapes. Output arguments may not alias inputs
 * unless the method says so.
 */
public interface Backend extends AutoCloseable {

    /** Short name used on the command line and in reports, e.g. "cpu". */
    String name();

    /** One line describing the hardware and threads used, for reports and {@code edgeq doctor}. */
    String description();

    // ---- memory ----

    /** Allocates a zeroed tensor owned by {@code scope}. */
    Tensor allocate(TensorScope scope, DType dtype, Shape shape);

    default Tensor allocate(TensorScope scope, DType dtype, int... dims) {
        return allocate(scope, dtype, Shape.of(dims));
    }

    /** Copies host values into {@code dst} (length must equal dst.numel()). */
    void upload(float[] src, Tensor dst);

    /** Copies host int values into an I32 tensor. */
    void upload(int[] src, Tensor dst);

    /** Copies {@code src} into a host array of length src.numel(). */
    void download(Tensor src, float[] dst);

    // ---- dense linear algebra ----

    /**
     * C = alpha * op(A) * op(B) + beta * C where op(X) is X or its transpose. A, B, C are 2-D F32; after op,
     * A is [m, k], B is [k, n], C is [m, n]. With beta == 0, C's previous contents are ignored (NaN does not leak).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    // ---- elementwise and reductions (x, y same numel unless stated) ----

    void fill(Tensor x, float value);

    /** y = x. */
    void copy(Tensor x, Tensor y);

    /** y += alpha * x. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** x *= alpha, in place. */
    void scale(Tensor x, float alpha);

    /** Adds bias[j] to every row of the matrix x [rows, cols], in place; bias has cols elements. */
    void addRowVector(Tensor x, Tensor bias);

    /** out[j] = beta * out[j] + sum over rows i of x[i, j]; x is [rows, cols], out has cols elements. */
    void sumRows(Tensor x, Tensor out, float beta);

    /** y = max(x, 0); y may be x. */
    void relu(Tensor x, Tensor y);

    /** dx = dy where y > 0 else 0 (y is the ReLU output); dx may be dy. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    /** Sum of all elements, accumulated in double. */
    double sum(Tensor x);

    /** Sum of squares of all elements, accumulated in double. */
    double sumOfSquares(Tensor x);

    /** True when every element is finite (no NaN or infinity). */
    boolean allFinite(Tensor x);

    // ---- convolution (NCHW) ----

    /**
     * y = conv(x, weight) + bias. x [N, C, H, W], weight [O, C, K, K], bias [O] or null, y [N, O, OH, OW].
     * {@code workspace} is scratch of at least {@link #conv2dWorkspaceFloats} floats, owned by the caller so that
     * the training loop does not allocate.
     */
    void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace);

    /**
     * Gradients of conv2d. dx may be null (first layer); dWeight and dBias (nullable) are overwritten, not
     * accumulated.
     */
    void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias,
                        ConvGeometry g, Tensor workspace);

    /** Floats of scratch conv2d and conv2dBackward need for geometry {@code g}. */
    long conv2dWorkspaceFloats(ConvGeometry g);

    // ---- pooling (NCHW) ----

    /** y = max over each window; argmax (I32, same numel as y) records the flat input index chosen. */
    void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g);

    /** dx = 0 then dx[argmax[i]] += dy[i]. */
    void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g);

    // ---- normalisation ----

    /**
     * Batch normalisation over every axis but the channel axis. x is [N, C] (BatchNorm1d) or [N, C, H, W]
     * (BatchNorm2d); gamma, beta, runningMean, runningVar, saveMean, saveInvStd have C elements.
     * Training: uses batch statistics (biased variance for normalising), updates running stats with
     * {@code momentum} as PyTorch does (running = (1 - momentum) * running + momentum * batch, with the unbiased
     * variance), and stores mean and 1/sqrt(var + eps) in saveMean/saveInvStd for the backward pass.
     * Inference: normalises with the running statistics; save tensors are untouched.
     */
    void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                   Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps);

    /** Gradients of training-mode batchNorm; dGamma and dBeta are overwritten. */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    // ---- dropout ----

    /**
     * Inverted dropout: mask[i] = 0 with probability p else 1 / (1 - p), y = x * mask. The decision for element
     * i depends only on (seed, offset + i) through a counter-based generator, so every backend draws the same mask.
     */
    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset);

    /** dx = dy * mask; dx may be dy. */
    void dropoutBackward(Tensor dy, Tensor mask, Tensor dx);

    // ---- losses ----

    /**
     * Mean softmax cross-entropy of logits [N, K] against labels (I32, N entries in 0..K-1). Writes the gradient
     * of the mean loss with respect to the logits into dLogits (may be null) and returns the mean loss.
     * Numerically stable (max subtracted). A label outside 0..K-1 throws IllegalArgumentException.
     */
    double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits);

    /** Row-wise argmax of a [N, K] matrix into an I32 tensor of N entries. */
    void argmaxRows(Tensor x, Tensor out);

    /**
     * Mean squared error over all elements of pred and target (same shape); writes d(mean)/d(pred) into dPred
     * (may be null) and returns the mean.
     */
    double meanSquaredError(Tensor pred, Tensor target, Tensor dPred);

    // ---- optimisers (in place on param and state) ----

    /**
     * One Adam step; {@code step} counts from 1 for bias correction. m and v are the first and second moment
     * buffers, same shape as param.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step);

    /**
     * One SGD step with momentum (PyTorch's formulation): g = grad + weightDecay * param;
     * velocity = momentum * velocity + g; param -= lr * velocity (nesterov: param -= lr * (g + momentum * velocity)).
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                 float weightDecay, boolean nesterov);

    // ---- pruning and distillation ----

    /**
     * x *= mask elementwise, in place: the pruning mask (1 keeps a weight, 0 removes it) applied to a weight
     * tensor. A 0 in the mask gives exactly +0 or -0 for every finite x, so pruned weights compare equal to zero.
     */
    void applyMask(Tensor x, Tensor mask);

    /**
     * Mean over rows of KL(softmax(teacherLogits / T) || softmax(logits / T)) for [N, K] logits, the soft-target
     * term of knowledge distillation (Hinton et al. 2015), computed stably (max subtracted, 0 log 0 = 0). Writes the
     * gradient of that mean with respect to {@code logits}, (softmax(logits / T) - softmax(teacherLogits / T)) / (T N),
     * into dLogits (may be null) and returns the mean. {@code temperature} must be positive and finite.
     */
    double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits);

    // ---- quantization ----
    //
    // Fake quantization (quantize-dequantize) with integer codes in [qmin, qmax], -65536 <= qmin < qmax <= 65536,
    // and a zero point z with qmin <= z <= qmax. For an element x and step size s > 0 (finite):
    //   r = rint(x * inv), inv = 1f / s       (float arithmetic, round half to even: PyTorch's fake_quantize exactly)
    //   q = clamp(r + z, qmin, qmax)          the integer code
    //   y = (q - z) * s                       the dequantized value (never -0: a zero code gives +0)
    // "In range" means qmin <= r + z <= qmax; the straight-through estimator passes gradients only there.
    // Per-channel variants quantize channel c = the index along axis 0 of x (x viewed as [C, numel / C]) with
    // scales[c] (F32, C elements) and zeroPoints[c] (I32, C elements). NaN inputs give NaN outputs and zero gradient.

    /** Per-tensor fake quantization y = (clamp(rint(x * (1 / scale)) + zeroPoint, qmin, qmax) - zeroPoint) * scale; y may be x. */
    void fakeQuantize(Tensor x, Tensor y, float scale, int zeroPoint, int qmin, int qmax);

    /** Per-channel (axis 0) fake quantization with scales (F32) and zeroPoints (I32), one per channel; y may be x. */
    void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * Straight-through estimator for {@link #fakeQuantize}: dx = dy where x is in range, else 0. x is the
     * fake-quantize input (not its output); dx may be dy.
     */
    void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float scale, int zeroPoint, int qmin, int qmax);

    /** Straight-through estimator for {@link #fakeQuantizePerChannel}; dx may be dy. */
    void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * LSQ backward (Esser et al. 2020, learned step size) for {@link #fakeQuantize}: writes the straight-through dx
     * (as {@link #fakeQuantizeBackward}; dx may be dy, or null when only the step-size gradient is wanted) and
     * returns gradScale * sum_i dy_i * dy_i/ds, where dy_i/ds = r_i - x_i * inv in range, (qmin - z) below it and
     * (qmax - z) above it. LSQ uses gradScale = 1 / sqrt(numel * qmax). Summed in double over fixed blocks, so
     * the result does not depend on the thread count.
     */
    double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float scale, int zeroPoint, int qmin, int qmax,
                                   float gradScale);

    /**
     * Per-channel LSQ backward: dx as {@link #fakeQuantizePerChannelBackward} (nullable, may be dy) and
     * dScales[c] = gradScale * sum over channel c of dy_i * dy_i/ds_c (overwritten, summed in double in index
     * order).
     */
    void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                           int qmin, int qmax, float gradScale, Tensor dScales);

    /**
     * Smallest and largest element of x into out[0] and out[1] (out has at least two entries); NaN when x holds
     * a NaN; +infinity and -infinity for an empty x. What calibration observers read.
     */
    void minMax(Tensor x, float[] out);

    /** Per-channel (axis 0) minimum and maximum of x into mins and maxs (F32, C elements each). */
    void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs);

    /** Releases threads and resources the backend holds (not the tensors: their scopes own them). */
    @Override
    void close();
}
