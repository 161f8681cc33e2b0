package org.edgeq.quant.fake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.observe.Observer;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.quant.observe.QuantRange;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Static activation quantization (post-training): attaches quantizers to every weight layer, runs calibration
 * batches through the full-precision model in evaluation mode while observers record each layer's input range,
 * then fixes the per-tensor scales and zero points. Weights and activations may use different widths (W4A8,
 * W8A8, ...). The returned hook keeps the model quantized until it is closed.
 */
public final class ActivationCalibration {
    private ActivationCalibration() {
    }

    /**
     * Calibrates on the first {@code batches} batches of {@code batchSize} rows of {@code rows} (in that order).
     *
     * @param weights     weight recipe, or null to leave weights in full precision
     * @param activations activation recipe (per tensor; {@link ObserverKind#MIN_MAX} takes the range over
     *                    all calibration batches)
     */
    public static QatHook calibrate(Model model, Dataset data, int[] rows, int batches, int batchSize, QuantSpec weights,
                                    QuantSpec activations) {
        return calibrate(model, data, rows, batches, batchSize, weights, activations, null);
    }

    /**
     * As {@link #calibrate(Model, Dataset, int[], int, int, QuantSpec, QuantSpec)}, but each layer's input range
     * comes from a fresh observer of {@code rangeObserver} (min-max, moving average, percentile or MSE) fed on the host with every calibration batch; scale and zero point then
     * follow {@code activations}' grid. With null, {@code activations}' own observer decides.
     */
    public static QatHook calibrate(Model model, Dataset data, int[] rows, int batches, int batchSize, QuantSpec weights,
                                    QuantSpec activations, ObserverKind rangeObserver) {
        if (activations == null) throw new IllegalArgumentException("activation calibration needs an activation recipe");
        if (activations.perChannel()) throw new IllegalArgumentException("activations are quantized per tensor, got " + activations);
        if (batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("batches and batchSize must be >= 1, got " + batches + " and " + batchSize);
        }
        if (data.featureCount() != model.inputShape().numel()) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features, model expects " + model.inputShape());
        }
        QatHook hook = QatHook.prepare(model, new QatConfig(weights, activations, 0, 1e-3f));
        List<Observer> observers = new ArrayList<>();
        for (FakeQuantLayer l : hook.layers()) {
            l.inputQuantizer().setCalibrating(true);
            if (rangeObserver != null) {
                Observer o = rangeObserver.create(Granularity.PER_TENSOR,
                        activations.bits(), activations.symmetric());
                observers.add(o);
                l.inputQuantizer().setCalibrationTap(x -> {
                    float[] host = new float[Math.toIntExact(x.numel())];
                    model.backend().download(x, host);
                    o.observe(host, x.shape().dims());
                });
            }
        }
        int f = data.featureCount();
        int total = Math.min(rows.length, batches * batchSize);
        try (TensorScope scope = new TensorScope()) {
            float[] stage = new float[batchSize * f];
            Tensor full = model.backend().allocate(scope, DType.F32, batchSize, f);
            for (int start = 0; start < total; start += batchSize) {
                int n = Math.min(batchSize, total - start);
                for (int i = 0; i < n; i++) data.copyRow(rows[start + i], stage, i * f);
                Tensor x = n == batchSize ? full : full.firstRows(n);
                if (n == batchSize) {
                    model.backend().upload(stage, full);
                } else {
                    model.backend().upload(Arrays.copyOf(stage, n * f), x);
                }
                model.forward(x, false);
            }
        } catch (RuntimeException e) {
            hook.close();
            throw e;
        }
        for (int i = 0; i < hook.layers().size(); i++) {
            FakeQuantize q = hook.layers().get(i).inputQuantizer();
            q.setCalibrating(false);
            q.setCalibrationTap(null);
            q.freezeObserver();
            if (rangeObserver != null) {
                QuantRange r = observers.get(i).range();
                AffineParams p = AffineParams.forRange(r.min()[0], r.max()[0], activations.grid());
                q.setParameters(new float[] {p.scale()}, new int[] {p.zeroPoint()});
            }
        }
        hook.freeze();
        return hook;
    }
}
