/**
 * Post-training weight quantization: the seed's methods reproduced exactly and the usual modern ones.
 *
 * <p>One {@link org.edgeq.quant.WeightQuantizer} per method ({@link org.edgeq.quant.MidRiseQuantizer},
 * {@link org.edgeq.quant.RoundingQuantizer} and {@link org.edgeq.quant.StochasticRoundingQuantizer} over a
 * {@link org.edgeq.quant.LandmarkSet}, {@link org.edgeq.quant.MultiPointQuantizer},
 * {@link org.edgeq.quant.AffineQuantizer}) turns a tensor into a {@link org.edgeq.quant.QuantizedTensor}: integer
 * codes plus what decodes them, which an exporter packs at the true bit width. {@link org.edgeq.quant.ModelQuantizer}
 * applies a method to a whole model under the seed's rules (which tensors each method touches), and
 * {@link org.edgeq.quant.MultiPointBudget} spends multi-point terms where measured sensitivity says they help.
 * Calibration observers for affine ranges live in {@link org.edgeq.quant.observe}.
 */
package org.edgeq.quant;
