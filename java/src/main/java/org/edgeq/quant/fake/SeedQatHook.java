package org.edgeq.quant.fake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.TrainingHook;

/**
 * The seed's quantization-aware training (qat.py and Demo_Code.ipynb's qat_train) as a training hook. Each step:
 * the full-precision weights go to shadows and every {@code *.weight} parameter is quantized in place with a set
 * built from that weight alone ({@link SeedQatRule}; biases stay full precision); forward and backward run on the
 * quantized weights; before the optimizer step every quantized weight's gradient is multiplied by its slope
 * (max(w_q) − min(w_q)) / (max(w) − min(w)) (in float32, as torch's {@code grad *= slope}; biases keep theirs) and
 * the full-precision weights are put back, so the optimizer steps on them with the scaled gradients.
 *
 * <p>EdgeQ's own: the seed validates the full-precision model during training, EdgeQ validates the quantized one
 * (what will be exported); stochastic rounding draws from EdgeQ's seeded Philox stream, fresh for every step
 * (stream key step·P + i for parameter i of P), every validation and the export. {@link #exportQuantized()}
 * quantizes the trained full-precision weights with the same rule (weights only) for export.
 *
 * <p>It runs the method's quantizer on the host each step (as the seed did), so it costs a download, a
 * quantization and an upload of every quantized weight per step.
 */
public final class SeedQatHook implements TrainingHook, AutoCloseable {
    private final Model model;
    private final WeightQuantizer quantizer;
    private final int bits;
    private final int parameterCount;
    private final TensorScope scope = new TensorScope();
    private final List<Parameter> quantized = new ArrayList<>();
    private final List<Integer> indices = new ArrayList<>();
    private final List<Tensor> shadows = new ArrayList<>();
    private final List<float[]> host = new ArrayList<>();
    private final double[] slopes;
    private boolean swapped;

    public SeedQatHook(Model model, WeightQuantizer quantizer, int bits) {
        this.model = model;
        this.quantizer = quantizer;
        this.bits = bits;
        List<Parameter> params = model.parameters();
        this.parameterCount = params.size();
        List<String> names = SeedQatRule.quantizedParameters(model, quantizer);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!names.contains(p.name())) continue;
            quantized.add(p);
            indices.add(i);
            shadows.add(model.backend().allocate(scope, DType.F32, p.value().shape()));
            host.add(new float[Math.toIntExact(p.numel())]);
        }
        slopes = new double[quantized.size()];
        Arrays.fill(slopes, 1.0);
    }

    /** Keeps the full-precision weights in the shadows and quantizes them in place; {@code counter} keys the draws. */
    private Map<String, QuantizedTensor> quantizeIn(long counter) {
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        if (swapped) return out;
        for (int i = 0; i < quantized.size(); i++) {
            Parameter p = quantized.get(i);
            float[] v = host.get(i);
            model.backend().copy(p.value(), shadows.get(i));
            model.backend().download(p.value(), v);
            SeedQatRule.Quantized q = SeedQatRule.quantize(quantizer, v, p.value().shape().dims(), bits,
                    counter * parameterCount + indices.get(i));
            slopes[i] = q.slope();
            model.backend().upload(q.tensor().dequantize(), p.value());
            out.put(p.name(), q.tensor());
        }
        swapped = true;
        return out;
    }

    /** Puts the full-precision weights back. */
    private void restore() {
        if (!swapped) return;
        for (int i = 0; i < quantized.size(); i++) model.backend().copy(shadows.get(i), quantized.get(i).value());
        swapped = false;
    }

    @Override
    public void beforeForward(Tensor x, int epoch, long step) {
        quantizeIn(step);
    }

    /** update_gradients: each quantized weight's gradient times its slope, then the full-precision weights back. */
    @Override
    public void beforeOptimizerStep(long step) {
        if (!swapped) return;
        for (int i = 0; i < quantized.size(); i++) {
            float s = (float) slopes[i];
            if (s != 1f) model.backend().scale(quantized.get(i).grad(), s);
        }
        restore();
    }

    @Override
    public void beforeValidation(int epoch) {
        quantizeIn(-(epoch + 1L));
    }

    @Override
    public void afterValidation(int epoch) {
        restore();
    }

    /**
     * The slope of each quantized weight from its latest quantization (1 before the first), by parameter name in
     * {@link Model#parameters()} order.
     */
    public Map<String, Double> slopes() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < quantized.size(); i++) out.put(quantized.get(i).name(), slopes[i]);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Quantizes the model's (full-precision, trained) weights in place with the same rule, biases left in full
     * precision, and returns the quantized form of each quantized weight by parameter name, for export. Call after
     * training.
     */
    public Map<String, QuantizedTensor> exportQuantized() {
        restore();
        Map<String, QuantizedTensor> out = quantizeIn(0);
        swapped = false; // the quantized weights are now the model's own
        return Collections.unmodifiableMap(out);
    }

    /** Names of the parameters this hook quantizes (the weights; see {@link SeedQatRule#quantizedParameters}). */
    public List<String> touchedParameters() {
        return quantized.stream().map(Parameter::name).toList();
    }

    @Override
    public void close() {
        restore();
        scope.close();
    }
}
