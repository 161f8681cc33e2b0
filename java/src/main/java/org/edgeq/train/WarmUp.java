package org.edgeq.train;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;

/**
 * Trains a throwaway copy of a model on random data of the real shapes, through the real {@link Trainer} path, until
 * its steps stop getting faster, so that the JIT has compiled the hot kernels before the first epoch that counts:
 * without it the first epoch of the MLP runs about 1.4x its successors (issue 12). The copy has its own weights and
 * dropout streams; nothing of the real run changes.
 */
public final class WarmUp {
    /** Batches per timing window. */
    private static final int WINDOW = 25;
    /** A window at most this much faster than the best before it counts as no progress. */
    private static final double PROGRESS = 0.9;
    /** Windows without progress that end the warm-up. */
    private static final int PATIENCE = 3;
    /** Epochs of fewer batches than this are over before a warm-up would be: they are not warmed. */
    public static final int MIN_EPOCH_BATCHES = 8 * WINDOW;

    private WarmUp() {
    }

    /** Whether an epoch of {@code rows} samples in batches of {@code batchSize} is long enough to pay for a warm-up. */
    public static boolean worthIt(int rows, int batchSize) {
        return (rows + batchSize - 1) / batchSize >= MIN_EPOCH_BATCHES;
    }

    /** What a warm-up did: its batches and wall seconds. */
    public record Report(int batches, double seconds) {
    }

    /**
     * Warms {@code backend} for {@code config} trained with {@code training}'s batch size and optimizer on samples of
     * {@code like}'s shape and task, for at most {@code maxSeconds}; it stops after the current batch once
     * {@code cancelled} answers true (Ctrl-C).
     */
    public static Report run(ModelConfig config, Backend backend, Dataset like, TrainingConfig training, double maxSeconds,
                             BooleanSupplier cancelled) {
        int batch = training.batchSize();
        int rows = batch * WINDOW * 2;
        Dataset data = randomLike(like, rows, training.seed());
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        Trainer trainer = new Trainer(training.withEpochs(1_000).withEarlyStopping(0));
        int[] batches = {0};
        EpochListener watch = new EpochListener() {
            long windowStart = System.nanoTime();
            double best = Double.POSITIVE_INFINITY;
            int stale;

            @Override
            public void epochEnded(EpochStats stats, boolean improved) {
            }

            @Override
            public void batchEnded(int epoch, int batch, int perEpoch) {
                batches[0]++;
                long now = System.nanoTime();
                if (now > deadline || cancelled.getAsBoolean()) {
                    trainer.requestStop();
                    return;
                }
                if (batches[0] % WINDOW != 0) return;
                double window = now - windowStart;
                windowStart = now;
                if (window < PROGRESS * best) {
                    stale = 0;
                } else if (++stale >= PATIENCE) {
                    trainer.requestStop();
                }
                best = Math.min(best, window);
            }
        };
        try (Model copy = ModelFactory.create(config, backend, training.seed() ^ 0x5DEECE66DL)) {
            trainer.train(copy, data, data, watch);
        }
        return new Report(batches[0], (System.nanoTime() - start) / 1e9);
    }

    /** {@code rows} samples of {@code like}'s shape: uniform features, labels of its classes or standard-normal targets. */
    static Dataset randomLike(Dataset like, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int f = like.featureCount();
        float[] x = new float[Math.multiplyExact(rows, f)];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble();
        int[] labels = null;
        float[] targets = null;
        if (like.task() == Task.CLASSIFICATION) {
            labels = new int[rows];
            for (int i = 0; i < rows; i++) labels[i] = random.nextInt(Math.max(1, like.numClasses()));
        } else {
            targets = new float[rows];
            for (int i = 0; i < rows; i++) targets[i] = (float) random.nextGaussian();
        }
        return new Dataset(like.name() + " (warm-up)", like.task(), rows, like.featureShape().clone(), x, labels, targets,
                like.numClasses(), like.featureNames(), like.classNames());
    }
}
