package org.edgeq.quant;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.train.Evaluator;

/**
 * Chooses how many multi-point terms each tensor gets from a total budget by measured sensitivity (the point of Liu
 * et al. 2021: spend points where the error hurts): for every tensor multi-point quantizes (see
 * {@link ModelQuantizer}), it quantizes that tensor alone with 1..max points, measures the calibration loss with an
 * {@link Evaluator}, restores the FP32 weights, then gives every tensor one point and hands out the rest one at a
 * time to the tensor whose next point lowers the measured loss the most.
 *
 * <p>Greedy multi-point quantization is prefix-consistent (the k-point result is the first k terms of the
 * (k+1)-point one; the seed's candidate draws are keyed per step), so each tensor is quantized once at the maximum
 * and its prefixes evaluated.
 */
public final class MultiPointBudget {

    /**
     * The chosen budget and the measurements behind it.
     *
     * @param parameters   the model's parameter names, in {@link Model#parameters()} order
     * @param points       points per parameter (same order); 0 for parameters multi-point skips
     * @param baselineLoss calibration loss of the FP32 model
     * @param loss         {@code loss[parameter][k - 1]}: calibration loss with only that tensor quantized at k
     *                     points (empty rows for skipped parameters)
     */
    public record Allocation(List<String> parameters, int[] points, double baselineLoss, double[][] loss) {

        /** Total points handed out. */
        public int total() {
            return Arrays.stream(points).sum();
        }

        /** Points given to the parameter {@code name} (0 if multi-point skips it). */
        public int pointsOf(String name) {
            int i = parameters.indexOf(name);
            return i < 0 ? 0 : points[i];
        }

        /** A quantizer per parameter with its allotted points (null for skipped ones), for {@link ModelQuantizer}. */
        public Function<String, WeightQuantizer> quantizers(MultiPointQuantizer base) {
            return name -> pointsOf(name) == 0 ? null : base.withPoints(pointsOf(name));
        }
    }

    private MultiPointBudget() {
    }

    /**
     * Measures every eligible tensor and spends {@code totalPoints} (at least one per eligible tensor, at most
     * {@code maxPointsPerTensor} each). Leaves the model's weights as they were.
     *
     * @param calibration evaluator over calibration rows of the model's data (e.g. part of the training split)
     */
    public static Allocation allocate(Model model, Evaluator calibration, MultiPointQuantizer base, int bits, int totalPoints, int maxPointsPerTensor) {
        List<Parameter> params = model.parameters();
        int eligible = ModelQuantizer.touchedParameters(model, QuantMethod.MULTIPOINT).size();
        if (maxPointsPerTensor < 1) throw new IllegalArgumentException("maxPointsPerTensor must be ≥ 1, got " + maxPointsPerTensor);
        if (totalPoints < eligible || totalPoints > eligible * maxPointsPerTensor) {
            throw new IllegalArgumentException("total points must be in " + eligible + ".." + eligible * maxPointsPerTensor + " for " + eligible + " multi-point tensors, got " + totalPoints);
        }
        Backend backend = model.backend();
        double baseline = calibration.evaluate().loss();
        double[][] loss = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            if (!ModelQuantizer.touches(QuantMethod.MULTIPOINT, model, i)) {
                loss[i] = new double[0];
                continue;
            }
            Parameter p = params.get(i);
            float[] original = ModelQuantizer.download(backend, p.value());
            int[] shape = p.value().shape().dims();
            QuantizedTensor.MultiPoint full = base.withPoints(maxPointsPerTensor).quantize(original, shape, bits, i);
            double[] row = new double[maxPointsPerTensor];
            for (int k = 1; k <= maxPointsPerTensor; k++) {
                QuantizedTensor.MultiPoint prefix = new QuantizedTensor.MultiPoint(shape, bits, full.terms().subList(0, k));
                backend.upload(prefix.dequantize(), p.value());
                row[k - 1] = calibration.evaluate().loss();
            }
            backend.upload(original, p.value());
            loss[i] = row;
        }
        List<String> names = params.stream().map(Parameter::name).toList();
        return new Allocation(names, spend(loss, totalPoints, maxPointsPerTensor), baseline, loss);
    }

    /** One point per measured tensor, then each further point to the tensor whose next point gains the most. */
    static int[] spend(double[][] loss, int totalPoints, int maxPointsPerTensor) {
        int[] points = new int[loss.length];
        int left = totalPoints;
        for (int l = 0; l < loss.length; l++) {
            if (loss[l].length > 0) {
                points[l] = 1;
                left--;
            }
        }
        while (left > 0) {
            int best = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < loss.length; l++) {
                if (loss[l].length == 0 || points[l] >= maxPointsPerTensor) continue;
                double gain = loss[l][points[l] - 1] - loss[l][points[l]];
                if (gain > bestGain) {
                    bestGain = gain;
                    best = l;
                }
            }
            if (best < 0) break;
            points[best]++;
            left--;
        }
        return points;
    }
}
