/**
 * The quantization core, at the bottom of {@code quant}: the one definition of an integer grid's codes
 * ({@link org.edgeq.quant.core.IntegerGrid}), the one rule that turns a range into scale and zero point, with its one
 * tie rule ({@link org.edgeq.quant.core.AffineParams}), the one rule by which observers fold a tensor's extremes into a
 * running range ({@link org.edgeq.quant.core.RangeFold}), and {@link org.edgeq.quant.core.Granularity}. Post-training
 * quantizers, observers, fake quantizers and the integer-hardware simulation all take their formulas from here; it
 * depends on nothing else of EdgeQ.
 */
package org.edgeq.quant.core;
