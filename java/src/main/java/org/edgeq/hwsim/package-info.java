/**
 * Hardware simulation: integer-only inference of a quantized network ({@link org.edgeq.hwsim.IntegerModel} on an
 * {@link org.edgeq.hwsim.IntGemm}, requantization as gemmlowp/TFLite do it in {@link org.edgeq.hwsim.FixedPoint}),
 * compared with the fake-quant model it came from ({@link org.edgeq.hwsim.FakeQuantVariant},
 * {@link org.edgeq.hwsim.Simulation}); an energy model per operation and per byte moved
 * ({@link org.edgeq.hwsim.EnergyTable}, {@link org.edgeq.hwsim.EnergyModel}, and {@link org.edgeq.hwsim.HwsimEnergy}
 * for one number per row); device profiles with roofline estimates ({@link org.edgeq.hwsim.DeviceProfile}). Every
 * energy and time here is a model, labelled so, never a measurement.
 *
 * <p>Accumulator semantics with asymmetric activations: codes are stored as signed bytes (unsigned codes minus
 * 2^(bits-1)) and the zero-point term joins the int32 bias after the GEMM, as gemmlowp's and TFLite's optimized int8
 * kernels do; a narrow accumulator therefore carries the offset too (post-ReLU activations sit near code -128), and
 * saturates far more than with symmetric activations, which have no offset.
 */
package org.edgeq.hwsim;
