package org.edgeq.train;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.metrics.Metrics;
import org.edgeq.metrics.RegressionAccumulator;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.function.LongConsumer;

/**
 * Computes a model's loss and accuracy (classification) or MSE and R² (regression) on a dataset in inference
 * mode, batch by batch. Holds its batch tensors, so reuse one instance per dataset to avoid allocating.
 */
public final class Evaluator implements AutoCloseable {
    private final Model model;
    private final Dataset data;
    private final TensorScope scope = new TensorScope();
    private final BatchFeeder feeder;
    private final Loss loss;
    private final RegressionAccumulator regression = new RegressionAccumulator();
    private float[] outputStage;

    public Evaluator(Model model, Dataset data, int batchSize) {
        this(model, data, allRows(data), batchSize);
    }

    /** Evaluates on the given rows of {@code data} (e.g. a split's test indices). */
    public Evaluator(Model model, Dataset data, int[] rows, int batchSize) {
        this.model = model;
        this.data = data;
        if (data.featureCount() != model.inputShape().numel()) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features per sample, model expects " + model.inputShape());
        }
        this.feeder = new BatchFeeder(model.backend(), scope, data, rows, batchSize, false, 0);
        this.loss = lossFor(data.task());
    }

    static int[] allRows(Dataset data) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    static Loss lossFor(Task task) {
        return task == Task.CLASSIFICATION ? new Loss.CrossEntropy() : new Loss.MeanSquaredError();
    }

    public Evaluation evaluate() {
        return evaluate(nanos -> { });
    }

    /**
     * As {@link #evaluate()}, handing each batch's wall time in nanoseconds to {@code batchNanos}: from asking for
     * the batch (its copy to the backend) to its outputs back on the host: forward pass, loss and the copy back (which
     * waits for an asynchronous device), not the host-side counting of correct answers.
     */
    public Evaluation evaluate(LongConsumer batchNanos) {
        Backend backend = model.backend();
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        regression.reset();
        feeder.startEpoch(0);
        int k = Math.toIntExact(model.outputShape().numel());
        long start = System.nanoTime();
        while (feeder.next()) {
            int n = feeder.rows();
            Tensor out = model.forward(feeder.x(), false);
            lossSum += loss.compute(backend, out, feeder.y(), null) * n;
            if (outputStage == null || outputStage.length != n * k) outputStage = new float[n * k];
            backend.download(out, outputStage);
            batchNanos.accept(System.nanoTime() - start);
            if (data.task() == Task.CLASSIFICATION) correct += Metrics.countCorrect(outputStage, n, k, feeder.labels(), 0);
            else regression.add(outputStage, feeder.targets(), 0, n);
            seen += n;
            start = System.nanoTime();
        }
        double meanLoss = seen == 0 ? Double.NaN : lossSum / seen;
        if (data.task() == Task.CLASSIFICATION) {
            return new Evaluation(seen, meanLoss, seen == 0 ? Double.NaN : (double) correct / seen, Double.NaN, Double.NaN);
        }
        return new Evaluation(seen, meanLoss, Double.NaN, regression.meanSquaredError(), regression.r2());
    }

    /** One-shot evaluation over all of {@code data}. */
    public static Evaluation evaluate(Model model, Dataset data, int batchSize) {
        return evaluate(model, data, allRows(data), batchSize);
    }

    /** One-shot evaluation over all of {@code data}, with each batch's wall time handed to {@code batchNanos}. */
    public static Evaluation evaluate(Model model, Dataset data, int batchSize, LongConsumer batchNanos) {
        try (Evaluator e = new Evaluator(model, data, allRows(data), batchSize)) {
            return e.evaluate(batchNanos);
        }
    }

    /** One-shot evaluation over {@code rows} of {@code data}. */
    public static Evaluation evaluate(Model model, Dataset data, int[] rows, int batchSize) {
        try (Evaluator e = new Evaluator(model, data, rows, batchSize)) {
            return e.evaluate();
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
