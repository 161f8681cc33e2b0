/**
 * The observers (one class per concept, as {@code torch.ao.quantization.observer}), one family for PTQ calibration
 * and QAT alike: they watch weights or activations and settle on the clipping range, hence (by
 * {@link org.edgeq.quant.core.AffineParams}) the scale and zero point, of an affine integer format. The
 * {@link org.edgeq.quant.observe.ExtremesObserver}s (current, min-max, moving average) fold per-channel extremes,
 * which a backend computes where the tensor lives; percentile and MSE need whole tensors. Choose one by
 * {@link org.edgeq.quant.observe.ObserverKind}.
 */
package org.edgeq.quant.observe;
