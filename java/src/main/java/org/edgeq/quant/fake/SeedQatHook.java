package org.edgeq.quant.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.TrainingHook;

/**
 * The seed's quantization-aware training for any of its post-training methods: full-precision shadow copies of
 * the parameters the method rewrites are kept; before every forward the shadows take the current weights and the
 * method quantizes the parameters in place (so forward and backward run on quantized weights, and the plain
 * straight-through estimator hands the gradient to the full-precision weights unchanged); before the optimizer
 * step the full-precision weights are swapped back, so the update lands on them. Validation sees the quantized
 * model; {@link #exportQuantized()} quantizes the final weights for export.
 *
 * <p>Unlike {@link QatHook} this runs the method's own quantizer on the host each step (as the seed did), so it
 * costs a download, a quantization and an upload of every touched tensor per step.
 */
public final class SeedQatHook implements TrainingHook, AutoCloseable {
    private final Model model;
    private final WeightQuantizer quantizer;
    private final int bits;
    private final TensorScope scope = new TensorScope();
    private final List<Parameter> touched = new ArrayList<>();
    private final List<Tensor> shadows = new ArrayList<>();
    private boolean swapped;

    public SeedQatHook(Model model, WeightQuantizer quantizer, int bits) {
        this.model = model;
        this.quantizer = quantizer;
        this.bits = bits;
        List<String> names = ModelQuantizer.touchedParameters(model, quantizer.method());
        for (Parameter p : model.parameters()) {
            if (!names.contains(p.name())) continue;
            touched.add(p);
            shadows.add(model.backend().allocate(scope, DType.F32, p.value().shape()));
        }
    }

    /** Keeps the full-precision weights in the shadows and quantizes the model's parameters in place. */
    private void quantizeIn() {
        if (swapped) return;
        for (int i = 0; i < touched.size(); i++) model.backend().copy(touched.get(i).value(), shadows.get(i));
        ModelQuantizer.apply(model, quantizer, bits);
        swapped = true;
    }

    /** Puts the full-precision weights back. */
    private void restore() {
        if (!swapped) return;
        for (int i = 0; i < touched.size(); i++) model.backend().copy(shadows.get(i), touched.get(i).value());
        swapped = false;
    }

    @Override
    public void beforeForward(Tensor x, int epoch, long step) {
        quantizeIn();
    }

    @Override
    public void beforeOptimizerStep(long step) {
        restore();
    }

    @Override
    public void beforeValidation(int epoch) {
        quantizeIn();
    }

    @Override
    public void afterValidation(int epoch) {
        restore();
    }

    /**
     * Quantizes the model's (full-precision, trained) parameters in place with the method and returns the
     * quantized form of each rewritten tensor by parameter name, for export. Call after training.
     */
    public Map<String, QuantizedTensor> exportQuantized() {
        restore();
        return ModelQuantizer.apply(model, quantizer, bits);
    }

    /** Parameter names the method rewrites. */
    public List<String> touchedParameters() {
        return touched.stream().map(Parameter::name).toList();
    }

    @Override
    public void close() {
        restore();
        scope.close();
    }
}
