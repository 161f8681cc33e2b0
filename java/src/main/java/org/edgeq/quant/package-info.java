/**
 * Post-training weight quantization: the seed's methods reproduced exactly under the seed's names, and EdgeQ's own.
 *
 * <p>One {@link org.edgeq.quant.WeightQuantizer} per method turns a tensor into a
 * {@link org.edgeq.quant.QuantizedTensor} (integer codes plus what decodes them, which an exporter packs at the true
 * bit width): the seed's {@link org.edgeq.quant.MidRiseQuantizer}, {@link org.edgeq.quant.RoundingQuantizer} and
 * {@link org.edgeq.quant.StochasticRoundingQuantizer} over a {@link org.edgeq.quant.LandmarkSet}, and
 * {@link org.edgeq.quant.MultiPointQuantizer}; EdgeQ's {@link org.edgeq.quant.MultiPointGridQuantizer} and
 * {@link org.edgeq.quant.AffineQuantizer}. The seed's results depend on the float32 arithmetic of torch 1.13 and on
 * numpy/scipy's dtype rules, which TorchCpuMath, NumpyMath, NormalQuantile and SeedRounding reproduce; the golden
 * tests (java/src/test/python/seed_golden_quant.py) hold them to the seed's bits. {@link org.edgeq.quant.ModelQuantizer}
 * is the one place that decides which tensors of a model each method touches, and
 * {@link org.edgeq.quant.MultiPointBudget} spends multi-point terms where measured sensitivity says they help.
 * The formulas every method shares (integer grids, scale and zero point) are in {@link org.edgeq.quant.core}, the
 * observers that pick affine ranges in {@link org.edgeq.quant.observe}; both sit below this package.
 */
package org.edgeq.quant;
