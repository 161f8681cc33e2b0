package org.edgeq.train;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a model for a number of epochs over a training split with validation after each epoch, optional early
 * stopping on validation loss (restoring the best weights), and a stop on a non-finite loss. All tensors are
 * allocated before the first step, so the steady state allocates nothing; on the CPU backend a run is a pure
 * function of the model seed and {@link TrainingConfig#seed()}.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final List<TrainingHook> hooks = new ArrayList<>();
    private Loss lossOverride;
    private volatile boolean stopRequested;

    public Trainer(TrainingConfig config) {
        this.config = config;
    }

    /** Adds a hook (QAT, pruning masks, distillation...); hooks run in the order they were added. */
    public Trainer withHook(TrainingHook hook) {
        hooks.add(hook);
        return this;
    }

    /** Trains against {@code loss} instead of the task's default (cross-entropy or MSE), e.g. a distillation loss. */
    public Trainer withLoss(Loss loss) {
        this.lossOverride = loss;
        return this;
    }

    /** Asks a running {@link #train} to stop after the current batch (e.g. from a Ctrl-C handler); thread-safe. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains {@code model} in place.
     *
     * @param validation may be null: no validation figures and no early stopping
     * @throws TrainingDivergedException on a NaN or infinite loss, after restoring the best weights seen so far:
     *                                   those of the lowest validation loss, or without validation those of the
     *                                   last finished epoch (the initial ones if no epoch finished)
     */
    public TrainingResult train(Model model, Dataset training, Dataset validation, EpochListener listener) {
        return train(model, training, Evaluator.allRows(training), validation, validation == null ? null : Evaluator.allRows(validation), listener);
    }

    /**
     * Trains on rows {@code trainRows} of {@code data} and validates on {@code validationRows} of the same dataset
     * (null or empty: no validation), e.g. with the indices of a {@link org.edgeq.data.SplitIndices}.
     */
    public TrainingResult train(Model model, Dataset data, int[] trainRows, int[] validationRows, EpochListener listener) {
        return train(model, data, trainRows, validationRows == null || validationRows.length == 0 ? null : data, validationRows, listener);
    }

    private TrainingResult train(Model model, Dataset training, int[] trainRows, Dataset validation, int[] validationRows,
                                 EpochListener listener) {
        if (training.featureCount() != model.inputShape().numel()) {
            throw new IllegalArgumentException(training.name() + " has " + training.featureCount() + " features per sample, model expects " + model.inputShape());
        }
        if (trainRows.length == 0) throw new IllegalArgumentException(training.name() + ": empty training split");
        if (training.task() == Task.CLASSIFICATION && training.numClasses() > model.outputShape().numel()) {
            throw new IllegalArgumentException(training.name() + " has " + training.numClasses() + " classes, model outputs " + model.outputShape());
        }
        stopRequested = false;
        EpochListener sink = listener == null ? EpochListener.NONE : listener;
        Backend backend = model.backend();
        long start = System.nanoTime();
        boolean classification = training.task() == Task.CLASSIFICATION;
        Loss loss = lossOverride != null ? lossOverride : Evaluator.lossFor(training.task());
        int k = Math.toIntExact(model.outputShape().numel());
        try (TensorScope scope = new TensorScope();
             Evaluator validator = validation == null ? null : new Evaluator(model, validation, validationRows, config.batchSize())) {
            BatchFeeder feeder = new BatchFeeder(backend, scope, training, trainRows, config.batchSize(), true, config.seed());
            int b = feeder.batchSize();
            int batches = (trainRows.length + b - 1) / b;
            Tensor dOut = backend.allocate(scope, DType.F32, b, k);
            Optimizer optimizer = Optimizer.create(config.optimizer(), model.parameters(), config.weightDecay(), backend, scope);
            StateSnapshot best = new StateSnapshot(model, scope);
            best.capture();
            TrainAccuracy accuracy = classification ? new TrainAccuracy(backend, scope, trainRows.length) : null;
            List<EpochStats> history = new ArrayList<>();
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            TrainingResult.StopReason reason = TrainingResult.StopReason.COMPLETED;
            long step = 0;

            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                float lr = config.schedule().rate(config.learningRate(), epoch);
                feeder.startEpoch(epoch);
                double lossSum = 0;
                int seen = 0;
                int batch = 0;
                while (feeder.next()) {
                    batch++;
                    int n = feeder.rows();
                    Tensor d = n == b ? dOut : dOut.firstRows(n);
                    step++;
                    for (TrainingHook h : hooks) h.beforeForward(feeder.x(), epoch, step);
                    Tensor out = model.forward(feeder.x(), true);
                    double l = loss.compute(backend, out, feeder.y(), d);
                    if (!Double.isFinite(l)) {
                        best.restore();
                        throw new TrainingDivergedException(epoch + 1, batch, l);
                    }
                    if (accuracy != null) accuracy.record(out, n, feeder.labels());
                    model.backward(d);
                    for (TrainingHook h : hooks) h.beforeOptimizerStep(step);
                    optimizer.step(lr);
                    for (TrainingHook h : hooks) h.afterOptimizerStep(step);
                    lossSum += l * n;
                    seen += n;
                    sink.batchEnded(epoch + 1, batch, batches);
                    if (stopRequested) break;
                }
                double trainLoss = lossSum / Math.max(1, seen);
                double trainAcc = accuracy != null ? (double) accuracy.correctAndReset() / Math.max(1, seen) : Double.NaN;
                for (TrainingHook h : hooks) h.beforeValidation(epoch);
                Evaluation val = validator == null ? null : validator.evaluate();
                for (TrainingHook h : hooks) h.afterValidation(epoch);
                boolean improved = false;
                if (val != null && val.loss() < bestLoss) {
                    bestLoss = val.loss();
                    bestEpoch = epoch + 1;
                    sinceBest = 0;
                    improved = true;
                    best.capture();
                } else if (val != null) {
                    sinceBest++;
                } else {
                    // Without validation the latest finished epoch is the best we know of.
                    improved = true;
                    best.capture();
                }
                EpochStats stats = new EpochStats(epoch + 1, trainLoss, trainAcc,
                        val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                        val == null ? Double.NaN : val.r2(), lr, (System.nanoTime() - epochStart) / 1e9);
                history.add(stats);
                sink.epochEnded(stats, improved);
                if (stopRequested) {
                    reason = TrainingResult.StopReason.INTERRUPTED;
                    break;
                }
                if (config.earlyStoppingPatience() > 0 && val != null && sinceBest >= config.earlyStoppingPatience()) {
                    reason = TrainingResult.StopReason.EARLY_STOPPED;
                    break;
                }
            }
            if (config.earlyStoppingPatience() > 0 && bestEpoch > 0) best.restore();
            return new TrainingResult(List.copyOf(history), bestEpoch, reason, (System.nanoTime() - start) / 1e9);
        }
    }
}
