package org.edgeq.quant;

import java.util.Arrays;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayer;
import org.edgeq.train.Evaluator;

/**
 * Chooses how many multi-point terms each layer gets from a total budget by measured sensitivity (the point of Liu
 * et al. 2021: spend points where the error hurts): for every layer multi-point quantizes (all but the first and
 * the last), it quantizes that layer alone with 1..max points, measures the calibration loss with an
 * {@link Evaluator}, restores the FP32 weights, then gives every layer one point and hands out the rest one at a
 * time to the layer whose next point lowers the measured loss the most.
 *
 * <p>Greedy multi-point quantization is prefix-consistent (the k-point result is the first k terms of the
 * (k+1)-point one), so each layer is quantized once at the maximum and its prefixes evaluated.
 */
public final class MultiPointBudget {

    /**
     * The chosen budget and the measurements behind it.
     *
     * @param points       points per weight layer, by {@link WeightLayer#index()}; 0 for layers multi-point skips
     * @param baselineLoss calibration loss of the FP32 model
     * @param loss         {@code loss[layer][k - 1]}: calibration loss with only that layer quantized at k points
     *                     (empty rows for skipped layers)
     */
    public record Allocation(int[] points, double baselineLoss, double[][] loss) {

        /** Total points handed out. */
        public int total() {
            return Arrays.stream(points).sum();
        }

        /** A quantizer per layer with its allotted points (null for skipped layers), for {@link ModelQuantizer}. */
        public java.util.function.Function<WeightLayer, WeightQuantizer> quantizers(MultiPointQuantizer base) {
            return layer -> points[layer.index()] == 0 ? null : base.withPoints(points[layer.index()]);
        }
    }

    private MultiPointBudget() {
    }

    /**
     * Measures every eligible layer and spends {@code totalPoints} (at least one per eligible layer, at most
     * {@code maxPointsPerLayer} each). Leaves the model's weights as they were.
     *
     * @param calibration evaluator over calibration rows of the model's data (e.g. part of the training split)
     */
    public static Allocation allocate(Model model, Evaluator calibration, MultiPointQuantizer base, int bits, int totalPoints, int maxPointsPerLayer) {
        List<WeightLayer> layers = model.weightLayers();
        int eligible = (int) layers.stream().filter(l -> ModelQuantizer.touches(QuantMethod.MULTIPOINT, l, false)).count();
        if (maxPointsPerLayer < 1) throw new IllegalArgumentException("maxPointsPerLayer must be ≥ 1, got " + maxPointsPerLayer);
        if (totalPoints < eligible || totalPoints > eligible * maxPointsPerLayer) {
            throw new IllegalArgumentException("total points must be in " + eligible + ".." + eligible * maxPointsPerLayer + " for " + eligible + " multi-point layers, got " + totalPoints);
        }
        Backend backend = model.backend();
        double baseline = calibration.evaluate().loss();
        double[][] loss = new double[layers.size()][];
        for (WeightLayer layer : layers) {
            if (!ModelQuantizer.touches(QuantMethod.MULTIPOINT, layer, false)) {
                loss[layer.index()] = new double[0];
                continue;
            }
            float[] original = ModelQuantizer.download(backend, layer.weight().value());
            int[] shape = layer.weight().value().shape().dims();
            QuantizedTensor.MultiPoint full = base.withPoints(maxPointsPerLayer).quantize(original, shape, bits);
            double[] row = new double[maxPointsPerLayer];
            for (int k = 1; k <= maxPointsPerLayer; k++) {
                QuantizedTensor.MultiPoint prefix = new QuantizedTensor.MultiPoint(shape, bits, full.terms().subList(0, k));
                backend.upload(prefix.dequantize(), layer.weight().value());
                row[k - 1] = calibration.evaluate().loss();
            }
            backend.upload(original, layer.weight().value());
            loss[layer.index()] = row;
        }
        return new Allocation(spend(loss, totalPoints, maxPointsPerLayer), baseline, loss);
    }

    /** One point per measured layer, then each further point to the layer whose next point gains the most. */
    static int[] spend(double[][] loss, int totalPoints, int maxPointsPerLayer) {
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
                if (loss[l].length == 0 || points[l] >= maxPointsPerLayer) continue;
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
