package org.edgeq.train;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Parameter;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Updates parameters from their gradients; state buffers are allocated once, in the scope given at creation. The
 * hyper-parameters are an {@link OptimizerSpec}'s; each implementation is the optimizer of one spec record.
 */
public sealed interface Optimizer permits Optimizer.AdamOptimizer, Optimizer.SgdOptimizer {

    /** One update of every parameter at learning rate {@code lr}. */
    void step(float lr);

    static Optimizer create(OptimizerSpec spec, List<Parameter> params, float weightDecay, Backend backend, TensorScope scope) {
        return switch (spec) {
            case OptimizerSpec.Adam a -> new AdamOptimizer(a, params, weightDecay, backend, scope);
            case OptimizerSpec.Sgd s -> new SgdOptimizer(s, params, weightDecay, backend, scope);
        };
    }

    /** The optimizer of {@link OptimizerSpec.Adam} (Adam / AdamW), via {@link Backend#adamStep}. */
    final class AdamOptimizer implements Optimizer {
        private final Backend backend;
        private final List<Parameter> params;
        private final List<Tensor> m = new ArrayList<>();
        private final List<Tensor> v = new ArrayList<>();
        private final OptimizerSpec.Adam spec;
        private final float weightDecay;
        private int steps;

        AdamOptimizer(OptimizerSpec.Adam spec, List<Parameter> params, float weightDecay, Backend backend, TensorScope scope) {
            this.backend = backend;
            this.params = List.copyOf(params);
            this.spec = spec;
            this.weightDecay = weightDecay;
            for (Parameter p : params) {
                m.add(backend.allocate(scope, DType.F32, p.value().shape()));
                v.add(backend.allocate(scope, DType.F32, p.value().shape()));
            }
        }

        public int steps() {
            return steps;
        }

        @Override
        public void step(float lr) {
            steps++;
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                backend.adamStep(p.value(), p.grad(), m.get(i), v.get(i), lr, spec.beta1(), spec.beta2(), spec.epsilon(),
                        weightDecay, spec.decoupled(), steps);
            }
        }
    }

    /** The optimizer of {@link OptimizerSpec.Sgd} (SGD with momentum), via {@link Backend#sgdStep}. */
    final class SgdOptimizer implements Optimizer {
        private final Backend backend;
        private final List<Parameter> params;
        private final List<Tensor> velocity = new ArrayList<>();
        private final OptimizerSpec.Sgd spec;
        private final float weightDecay;

        SgdOptimizer(OptimizerSpec.Sgd spec, List<Parameter> params, float weightDecay, Backend backend, TensorScope scope) {
            this.backend = backend;
            this.params = List.copyOf(params);
            this.spec = spec;
            this.weightDecay = weightDecay;
            for (Parameter p : params) velocity.add(backend.allocate(scope, DType.F32, p.value().shape()));
        }

        @Override
        public void step(float lr) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                backend.sgdStep(p.value(), p.grad(), velocity.get(i), lr, spec.momentum(), weightDecay, spec.nesterov());
            }
        }
    }
}
