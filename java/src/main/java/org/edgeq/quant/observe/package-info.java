/**
 * Calibration observers (one class per concept, as {@code torch.ao.quantization.observer}): they watch weights or
 * activations and settle on the clipping range, hence the scale and zero point, of an affine integer format.
 */
package org.edgeq.quant.observe;
