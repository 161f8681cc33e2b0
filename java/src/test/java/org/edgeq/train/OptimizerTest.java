package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.TestBackends;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/** Optimisers apply PyTorch's update rules, hand-computed for two steps. */
class OptimizerTest {

    private static Parameter param(Backend b, TensorScope s, float[] value, float[] grad) {
        Tensor v = b.allocate(s, DType.F32, value.length);
        Tensor g = b.allocate(s, DType.F32, grad.length);
        b.upload(value, v);
        b.upload(grad, g);
        return new Parameter("w", v, g);
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesHandComputedSteps() {
        try (Backend b = TestBackends.cpu(1); TensorScope s = new TensorScope()) {
            Parameter p = param(b, s, new float[] {1f, -2f}, new float[] {0.5f, 0.5f});
            Optimizer o = Optimizer.create(new OptimizerSpec.Sgd(0.9f, false), List.of(p), 0.1f, b, s);
            o.step(0.1f);
            // g = 0.5 + 0.1 w = (0.6, 0.3); v = g; w -= 0.1 v
            assertArrayEquals(new float[] {0.94f, -2.03f}, p.value().toFloatArray(), 1e-6f);
            o.step(0.1f);
            // g = (0.5 + 0.094, 0.5 - 0.203) = (0.594, 0.297); v = 0.9 (0.6, 0.3) + g = (1.134, 0.567)
            assertArrayEquals(new float[] {0.94f - 0.1134f, -2.03f - 0.0567f}, p.value().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void adamFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
        try (Backend b = TestBackends.cpu(1); TensorScope s = new TensorScope()) {
            Parameter p = param(b, s, new float[] {1f, 1f, 1f}, new float[] {3f, -0.01f, 200f});
            Optimizer o = Optimizer.create(OptimizerSpec.Adam.defaults(), List.of(p), 0f, b, s);
            o.step(0.01f);
            // Bias-corrected m / sqrt(v) = g / |g| on the first step.
            assertArrayEquals(new float[] {0.99f, 1.01f, 0.99f}, p.value().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void adamWDecaysWeightsDirectlyWhileAdamAddsDecayToTheGradient() {
        try (Backend b = TestBackends.cpu(1); TensorScope s = new TensorScope()) {
            Parameter w = param(b, s, new float[] {2f}, new float[] {0f});
            Optimizer.create(OptimizerSpec.Adam.adamW(), List.of(w), 0.5f, b, s).step(0.1f);
            // AdamW: w -= lr * wd * w = 2 - 0.1; the zero gradient moves nothing else.
            assertArrayEquals(new float[] {1.9f}, w.value().toFloatArray(), 1e-5f);
            Parameter l2 = param(b, s, new float[] {2f}, new float[] {0f});
            Optimizer.create(OptimizerSpec.Adam.defaults(), List.of(l2), 0.5f, b, s).step(0.1f);
            // Adam + L2: g = 0 + 0.5 * 2 = 1 > 0, so the first step is -lr.
            assertArrayEquals(new float[] {1.9f}, l2.value().toFloatArray(), 1e-5f);
        }
    }
}
