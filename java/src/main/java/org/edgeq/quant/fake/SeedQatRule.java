package org.edgeq.quant.fake;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.LandmarkQuantizer;
import org.edgeq.quant.LandmarkSet;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.MultiPointGridQuantizer;
import org.edgeq.quant.MultiPointQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;

/**
 * The seed's quantization step of quantization-aware training (qat.py: qat_quantization, get_slope), one weight
 * tensor at a time: which parameters it quantizes, the tensor quantized with a landmark set built from THAT TENSOR
 * ALONE, and the slope its gradient is multiplied by.
 *
 * <p>Unlike post-training quantization ({@link ModelQuantizer}: every parameter, one set per module pooled from
 * weight and bias), the seed's QAT quantizes only parameters named {@code *.weight} (batch-norm gamma included),
 * each with its own set (qat_unique_value_generator reads {@code weights[module + '.weight']} only) or its own
 * mid-rise step (first-dimension-1 rule included), and leaves every bias in full precision. The slope is
 * (max(w_q) − min(w_q)) / (max(w) − min(w)) in double, over the quantized tensor as the seed's rounding function
 * returns it: scipy's binning returns set entries in the set's dtype (float64 for histogram and prior_normal sets),
 * the element rule, stochastic rounding and mid-rise return float32. Where the seed's division fails (max(w) =
 * min(w)) the slope is 1, as get_slope's except branch.
 */
public final class SeedQatRule {

    private SeedQatRule() {
    }

    /** One weight tensor quantized for a QAT step: the quantized form and the slope of its gradient. */
    public record Quantized(QuantizedTensor tensor, double slope) {
    }

    /**
     * Names of the parameters QAT with {@code quantizer} quantizes, in {@link Model#parameters()} order: every
     * {@code *.weight} for the seed's methods (mid-rise, rounding, stochastic); for EdgeQ's extensions the weights
     * the method quantizes after training ({@link ModelQuantizer#touches}, biases never).
     */
    public static List<String> quantizedParameters(Model model, WeightQuantizer quantizer) {
        List<Parameter> params = model.parameters();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            String name = params.get(i).name();
            if (name.endsWith(".weight") && ModelQuantizer.touches(quantizer.method(), model, i)) names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * Quantizes one weight tensor as the seed's QAT does: a landmark set from {@code values} alone, or the method's
     * own step. {@code streamKey} keys stochastic rounding's draws and multi-point's candidate draws.
     *
     * @throws IllegalArgumentException for a per-channel quantizer (the seed's QAT quantizes per tensor)
     */
    public static Quantized quantize(WeightQuantizer quantizer, float[] values, int[] shape, int bits, long streamKey) {
        return switch (quantizer) {
            case LandmarkQuantizer lq -> {
                perTensor(lq.granularity());
                LandmarkSet set = lq.setKind().build(values, bits);
                QuantizedTensor.Codebook q = lq.quantize(values, shape, set, streamKey);
                // scipy's binning hands back set entries in the set's dtype; the element rule writes float32
                yield new Quantized(q, lq instanceof RoundingQuantizer && set.isBinned()
                        ? slope(values, entryRange(set, q.codes())) : slope(values, q.dequantize()));
            }
            case MidRiseQuantizer mq -> {
                perTensor(mq.granularity());
                QuantizedTensor q = mq.quantize(values, shape, bits);
                yield new Quantized(q, slope(values, q.dequantize()));
            }
            case MultiPointQuantizer mp -> withSlope(values, mp.quantize(values, shape, bits, streamKey));
            case MultiPointGridQuantizer grid -> withSlope(values, grid.quantize(values, shape, bits));
            case AffineQuantizer aq -> withSlope(values, aq.quantize(values, shape, bits));
        };
    }

    /**
     * get_slope: (max(w_q) − min(w_q)) / (max(w) − min(w)) in double, 1 where max(w) = min(w) (the seed's division
     * by zero raises and its except branch returns 1).
     */
    public static double slope(float[] fullPrecision, double[] quantizedRange) {
        double[] w = range(fullPrecision);
        double den = w[1] - w[0];
        if (den == 0) return 1.0;
        return (quantizedRange[1] - quantizedRange[0]) / den;
    }

    private static double slope(float[] fullPrecision, float[] quantized) {
        return slope(fullPrecision, range(quantized));
    }

    private static Quantized withSlope(float[] values, QuantizedTensor q) {
        return new Quantized(q, slope(values, q.dequantize()));
    }

    private static double[] entryRange(LandmarkSet set, int[] codes) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c : codes) {
            double e = set.entry(c);
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        return new double[]{lo, hi};
    }

    private static double[] range(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new double[]{lo, hi};
    }

    private static void perTensor(Granularity g) {
        if (g != Granularity.PER_TENSOR) throw new IllegalArgumentException("the seed's QAT quantizes per tensor, got " + g);
    }
}
