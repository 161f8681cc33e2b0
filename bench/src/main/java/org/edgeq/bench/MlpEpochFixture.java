package org.edgeq.bench;

import java.util.List;
import java.util.Random;

import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;
import org.edgeq.train.TrainingConfig;

/** The workload of issue 2's epoch target, shared by the epoch benchmarks: MLP 784-512-256-10, 60,000 samples, batch 128. */
final class MlpEpochFixture {
    static final int SAMPLES = 60_000;
    static final ModelConfig MLP = new ModelConfig("dense", new int[] {784}, 10, List.of(512, 256), 0f, false);

    private MlpEpochFixture() {
    }

    /** 60,000 standard-normal 784-feature rows with uniform random labels: the cost, not the learning, is measured. */
    static Dataset randomData() {
        Random r = new Random(1);
        float[] x = new float[SAMPLES * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) y[i] = r.nextInt(10);
        return new Dataset("random-784", Task.CLASSIFICATION, SAMPLES, new int[] {784}, x, y, null, 10, List.of(), List.of());
    }

    /**
     * One epoch, Adam, batch 128. A fresh seed per invocation gives each epoch its own shuffle, as successive epochs
     * of real training have.
     */
    static TrainingConfig oneEpoch(int seed) {
        return TrainingConfig.seedDefaults(seed).withEpochs(1).withBatchSize(128);
    }
}
