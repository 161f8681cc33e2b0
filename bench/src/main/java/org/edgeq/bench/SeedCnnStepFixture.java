package org.edgeq.bench;

import java.util.Random;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Optimizer;
import org.edgeq.train.OptimizerSpec;

/**
 * The workload of the seed-CNN step benchmarks ({@link SeedCnnStep}, {@link GpuQatStep}): cnn-seed on 3x32x32,
 * 10 classes, a batch of 256 random images, Adam; {@code qat-w8a8} adds the hook {@code edgeq qat --bits 8
 * --act-bits 8} installs. One step is what {@code Trainer} does per batch: hook, forward, softmax cross-entropy,
 * backward, hook, Adam, hook.
 */
final class SeedCnnStepFixture implements AutoCloseable {
    static final int BATCH = 256;
    static final int CLASSES = 10;

    private final Backend backend;
    private final TensorScope scope = new TensorScope();
    private final Model net;
    private final QatHook hook;
    private final Optimizer optimizer;
    private final Tensor x;
    private final Tensor labels;
    private final Tensor dOut;
    private final Loss loss = new Loss.CrossEntropy();
    private long step;

    /** @param mode {@code fp32} or {@code qat-w8a8} */
    SeedCnnStepFixture(Backend backend, String mode) {
        this.backend = backend;
        net = ModelFactory.create(ModelPresets.cnnSeed(new int[] {3, 32, 32}, CLASSES), backend, 1);
        hook = mode.equals("fp32") ? null : QatHook.prepare(net, QatConfig.of(8, 8));
        optimizer = Optimizer.create(OptimizerSpec.Adam.defaults(), net.parameters(), 0f, backend, scope);
        x = backend.allocate(scope, DType.F32, BATCH, 3, 32, 32);
        labels = backend.allocate(scope, DType.I32, BATCH);
        dOut = backend.allocate(scope, DType.F32, BATCH, CLASSES);
        Random r = new Random(1);
        float[] xs = new float[Math.toIntExact(x.numel())];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        int[] ys = new int[BATCH];
        for (int i = 0; i < BATCH; i++) ys[i] = r.nextInt(CLASSES);
        backend.upload(xs, x);
        backend.upload(ys, labels);
    }

    /** The scope the fixture's tensors live in (a benchmark may add its own, e.g. a GPU probe). */
    TensorScope scope() {
        return scope;
    }

    /** One training step; returns its loss (read back, so a step ends when the device is done with the loss). */
    double step() {
        step++;
        if (hook != null) hook.beforeForward(x, 0, step);
        Tensor out = net.forward(x, true);
        double l = loss.compute(backend, out, labels, dOut);
        net.backward(dOut);
        if (hook != null) hook.beforeOptimizerStep(step);
        optimizer.step(1e-4f);
        if (hook != null) hook.afterOptimizerStep(step);
        return l;
    }

    @Override
    public void close() {
        if (hook != null) hook.close();
        net.close();
        scope.close();
    }
}
