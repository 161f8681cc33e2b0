package org.edgeq.quant.fake;

import java.util.function.Consumer;

import org.edgeq.backend.Backend;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.IntegerGrid;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.quant.observe.ExtremesObserver;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.OptimizerSpec;

/**
 * A fake-quantization module composed with its observer, like torch.ao's FakeQuantize: while the observer is
 * enabled, each training forward folds the input's per-channel extremes into the observer's running range by the
 * observer's {@link RangeFold} and derives scale and zero point from it by {@link AffineParams}' rule; once frozen,
 * the quantization parameters stay fixed. With a learned step (LSQ) the observer only initialises the scale, which
 * backward then differentiates and {@link #stepLearnedScale} updates with Adam.
 *
 * <p>The observer's state, the scales and zero points, the LSQ gradient and its Adam moments all live on the
 * backend, and every step of the above is a backend op ({@code foldExtremes}, {@code affineParams}, the
 * fake-quantize ops, {@code adamStep}, {@code clampScales}): a QAT step on a GPU never waits to copy them back.
 * {@link #scales()} and {@link #zeroPoints()} copy them to the host when asked. Everything is allocated on first
 * use and reused, so steady-state training allocates no tensors.
 */
public final class FakeQuantize implements AutoCloseable {
    private final Backend backend;
    private final QuantSpec spec;
    private final int channels;
    private final int qmin;
    private final int qmax;
    /** The fold rule and momentum; its running range lives in {@link #runningMins} / {@link #runningMaxs}. */
    private ExtremesObserver observer;
    private final TensorScope scope = new TensorScope();
    private final Tensor runningMins;
    private final Tensor runningMaxs;
    private final Tensor scales;
    private final Tensor zeroPoints;
    private Tensor scaleGrad;
    private Tensor adamM;
    private Tensor adamV;
    /** Whether the running range holds anything yet (the next fold then starts it afresh). */
    private boolean rangeStarted;
    private boolean observing = true;
    private boolean calibrating;
    private Consumer<Tensor> calibrationTap;
    /** The last forward's range was observed on its own input with a symmetric grid: nothing clipped. */
    private boolean coveredLastInput;
    private boolean initialised;
    private int lsqSteps;
    private TensorScope outputScope;
    private Tensor output;
    private Tensor outputView;

    /**
     * @param channels output channels for a per-channel spec (axis 0 of what it quantizes); ignored per tensor
     */
    public FakeQuantize(Backend backend, QuantSpec spec, int channels) {
        this.backend = backend;
        this.spec = spec;
        this.channels = spec.perChannel() ? channels : 1;
        if (this.channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        IntegerGrid grid = spec.grid();
        this.qmin = grid.qmin();
        this.qmax = grid.qmax();
        this.observer = spec.observer().extremes(spec.perChannel() ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR,
                spec.averagingConstant());
        this.runningMins = backend.allocate(scope, DType.F32, this.channels);
        this.runningMaxs = backend.allocate(scope, DType.F32, this.channels);
        this.scales = backend.allocate(scope, DType.F32, this.channels);
        this.zeroPoints = backend.allocate(scope, DType.I32, this.channels);
        if (spec.learnedStep()) {
            this.scaleGrad = backend.allocate(scope, DType.F32, this.channels);
            this.adamM = backend.allocate(scope, DType.F32, this.channels);
            this.adamV = backend.allocate(scope, DType.F32, this.channels);
        }
    }

    public QuantSpec spec() {
        return spec;
    }

    /** Stops range collection: scales and zero points stay as they are (LSQ scales keep learning). */
    public void freezeObserver() {
        observing = false;
    }

    public boolean observing() {
        return observing;
    }

    /** Whether a range has been observed (or scales were set), i.e. whether the quantization parameters mean anything. */
    public boolean initialised() {
        return initialised;
    }

    /** Current scales (one per channel, or one), copied from the backend. */
    public float[] scales() {
        float[] out = new float[channels];
        backend.download(scales, out);
        return out;
    }

    /** Current zero points, copied from the backend. */
    public int[] zeroPoints() {
        int[] out = new int[channels];
        backend.download(zeroPoints, out);
        return out;
    }

    /**
     * Forgets the observed range: the next forward observes once, in training or evaluation, then the observer
     * stays as enabled or frozen as it was (e.g. weights re-observed after batch-norm folding rescaled them).
     */
    public void resetObserver() {
        observer = observer.fresh();
        rangeStarted = false;
        initialised = false;
    }

    /** Sets fixed quantization parameters (e.g. from calibration) and stops observing. */
    public void setParameters(float[] newScales, int[] newZeroPoints) {
        if (newScales.length != channels || newZeroPoints.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " scales and zero points, got " + newScales.length
                    + " and " + newZeroPoints.length);
        }
        backend.upload(newScales.clone(), scales);
        backend.upload(newZeroPoints.clone(), zeroPoints);
        initialised = true;
        observing = false;
    }

    /**
     * Calibration mode (static post-training quantization): forward observes even in evaluation mode and passes
     * its input through unquantized, so that ranges are those of the full-precision model.
     */
    public void setCalibrating(boolean on) {
        calibrating = on;
        if (on) observing = true;
    }

    /**
     * While calibrating, also hands every input to {@code tap} (e.g. a host-side percentile or MSE observer of
     * {@link org.edgeq.quant.observe}); null removes it.
     */
    public void setCalibrationTap(Consumer<Tensor> tap) {
        calibrationTap = tap;
    }

    /**
     * Updates the observer with {@code x}: if nothing was observed yet; else if enabled and training or
     * calibrating; and, for the current-range kind (weights), also in evaluation, so that a model evaluated right
     * after an optimizer step quantizes the weights it has, not those of the last training forward.
     */
    public void observe(Tensor x, boolean training) {
        if (!observeWanted(training)) return;
        if (spec.perChannel()) checkChannels(x);
        backend.foldExtremes(x, runningMins, runningMaxs, observer.fold(), observer.momentum(), !rangeStarted);
        backend.affineParams(runningMins, runningMaxs, scales, zeroPoints, qmin, qmax, spec.symmetric());
        observed();
    }

    /** Whether {@link #observe} updates the observer now (the rules of its comment); clears the STE shortcut. */
    private boolean observeWanted(boolean training) {
        boolean wanted = observing && (training || calibrating || spec.observer() == ObserverKind.CURRENT);
        coveredLastInput = false;
        return wanted || !initialised;
    }

    /** The state after an observer step. */
    private void observed() {
        rangeStarted = true;
        initialised = true;
        // scale = max|x| / qmax on a symmetric grid: every code lies in [-qmax, qmax], so the STE mask is all ones.
        coveredLastInput = spec.symmetric() && spec.observer() == ObserverKind.CURRENT && !spec.learnedStep();
        // LSQ: the observer gives the starting step only; from then on the step is trained.
        if (spec.learnedStep()) observing = false;
    }

    private void checkChannels(Tensor x) {
        if (x.shape().rank() < 1 || x.dim(0) != channels) {
            throw new IllegalArgumentException("per-channel fake quantizer for " + channels + " channels got " + x.shape());
        }
    }

    /** Observes (see {@link #observe}) and returns the fake-quantized {@code x} in a buffer this module owns. */
    public Tensor forward(Tensor x, boolean training) {
        if (calibrating) {
            observe(x, training);
            if (calibrationTap != null) calibrationTap.accept(x);
            return x;
        }
        Tensor y = outputFor(x);
        if (observeWanted(training)) {
            if (spec.perChannel()) checkChannels(x);
            backend.observeAndFakeQuantize(x, y, runningMins, runningMaxs, observer.fold(), observer.momentum(),
                    !rangeStarted, scales, zeroPoints, qmin, qmax, spec.symmetric());
            observed();
        } else {
            apply(x, y);
        }
        return y;
    }

    /** Fake-quantizes {@code x} into {@code y} with the current parameters, without observing. */
    public void apply(Tensor x, Tensor y) {
        if (spec.perChannel()) {
            backend.fakeQuantizePerChannel(x, y, scales, zeroPoints, qmin, qmax);
        } else {
            backend.fakeQuantize(x, y, scales, zeroPoints, qmin, qmax);
        }
    }

    /**
     * Turns {@code grad} (with respect to the output of {@link #forward}{@code (x)}) into the gradient with respect
     * to {@code x}, in place: straight-through inside the clipping range, zero outside. With LSQ it also stores
     * the step-size gradient, scaled by 1 / sqrt(elements per scale * qmax) as Esser et al. do.
     */
    public void backward(Tensor x, Tensor grad) {
        if (spec.learnedStep()) {
            float g = (float) (1.0 / Math.sqrt((double) (x.numel() / channels) * qmax));
            if (spec.perChannel()) {
                backend.fakeQuantizePerChannelLsqBackward(x, grad, grad, scales, zeroPoints, qmin, qmax, g, scaleGrad);
            } else {
                backend.fakeQuantizeLsqBackward(x, grad, grad, scales, zeroPoints, qmin, qmax, g, scaleGrad);
            }
        } else if (coveredLastInput) {
            return; // nothing was clipped: the straight-through gradient is grad itself
        } else if (spec.perChannel()) {
            backend.fakeQuantizePerChannelBackward(x, grad, grad, scales, zeroPoints, qmin, qmax);
        } else {
            backend.fakeQuantizeBackward(x, grad, grad, scales, zeroPoints, qmin, qmax);
        }
    }

    /**
     * LSQ: one Adam step (no weight decay) on the scales with the gradient of the last backward, at
     * {@code learningRate}; scales stay at least float epsilon.
     */
    public void stepLearnedScale(OptimizerSpec.Adam adam, float learningRate) {
        if (!spec.learnedStep() || !initialised) return;
        backend.adamStep(scales, scaleGrad, adamM, adamV, learningRate, adam.beta1(), adam.beta2(), adam.epsilon(), 0f,
                adam.decoupled(), ++lsqSteps);
        backend.clampScales(scales, AffineParams.MIN_SCALE);
    }

    private Tensor outputFor(Tensor x) {
        long need = x.numel();
        if (output == null || output.numel() < need) {
            if (outputScope != null) outputScope.close();
            outputScope = new TensorScope();
            output = backend.allocate(outputScope, DType.F32, x.shape());
            outputView = output;
        }
        if (!outputView.shape().equals(x.shape())) outputView = view(x.shape());
        return outputView;
    }

    /** The first elements of the output buffer (which holds the largest input seen) shaped like {@code shape}. */
    private Tensor view(Shape shape) {
        return new Tensor(shape, DType.F32, output.segment().asSlice(0, shape.numel() * 4L), output.isHost());
    }

    @Override
    public void close() {
        if (outputScope != null) outputScope.close();
        outputScope = null;
        output = outputView = null;
        scope.close();
    }
}
