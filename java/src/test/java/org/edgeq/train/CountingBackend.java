package org.edgeq.train;

import java.util.concurrent.atomic.AtomicLong;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ForwardingBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A backend that delegates every op, counts tensor allocations (to prove a steady state allocates nothing) and
 * times the ops that dominate training (for the timing harness).
 */
final class CountingBackend extends ForwardingBackend {
    final AtomicLong allocations = new AtomicLong();
    final AtomicLong gemmNanos = new AtomicLong();
    final AtomicLong optimizerNanos = new AtomicLong();
    final AtomicLong uploadNanos = new AtomicLong();

    CountingBackend(Backend delegate) {
        super(delegate);
    }

    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        allocations.incrementAndGet();
        return super.allocate(scope, dtype, shape);
    }

    @Override
    public void upload(float[] src, Tensor dst) {
        long t = System.nanoTime();
        super.upload(src, dst);
        uploadNanos.addAndGet(System.nanoTime() - t);
    }

    @Override
    public void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        long t = System.nanoTime();
        super.gemm(ta, tb, alpha, a, b, beta, c);
        gemmNanos.addAndGet(System.nanoTime() - t);
    }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float epsilon,
                         float weightDecay, boolean decoupled, int step) {
        long t = System.nanoTime();
        super.adamStep(p, g, m, v, lr, beta1, beta2, epsilon, weightDecay, decoupled, step);
        optimizerNanos.addAndGet(System.nanoTime() - t);
    }
}
