/**
 * Fake quantization for quantization-aware training and static activation quantization: {@link
 * org.edgeq.quant.fake.FakeQuantize} (a quantizer holding one of {@link org.edgeq.quant.observe}'s observers), recipes per layer role ({@link
 * org.edgeq.quant.fake.QuantSpec}, {@link org.edgeq.quant.fake.QatConfig}), the training hooks ({@link
 * org.edgeq.quant.fake.QatHook} for fake-quant QAT with optional LSQ, {@link org.edgeq.quant.fake.SeedQatHook} for
 * the seed's shadow-weight QAT, whose per-weight quantization and gradient slope are {@link
 * org.edgeq.quant.fake.SeedQatRule}), {@link org.edgeq.quant.fake.ActivationCalibration} and {@link
 * org.edgeq.quant.fake.BatchNormFolding}.
 */
package org.edgeq.quant.fake;
