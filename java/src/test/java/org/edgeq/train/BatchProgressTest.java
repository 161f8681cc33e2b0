package org.edgeq.train;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trainer reports every batch to its listener, with the epoch's batch count, and the reports change no result. */
class BatchProgressTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(900, 3, 1, 4, 2, 2.0, 5);

    @Test
    void everyBatchIsReportedInOrderWithTheEpochsBatchCountIncludingTheShortLastOne() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        int batches = (split.train().length + 31) / 32;
        List<int[]> seen = new ArrayList<>();
        List<Integer> epochsEnded = new ArrayList<>();
        EpochListener listener = new EpochListener() {
            @Override
            public void epochEnded(EpochStats stats, boolean improved) {
                epochsEnded.add(stats.epoch());
            }

            @Override
            public void batchEnded(int epoch, int batch, int total) {
                seen.add(new int[] {epoch, batch, total});
            }
        };
        float[] withBatches;
        float[] without;
        try (Backend backend = TestBackends.cpu(2)) {
            withBatches = trainAndPredict(backend, split, listener);
            without = trainAndPredict(backend, split, null);
        }
        assertEquals(2 * batches, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertArrayEquals(new int[] {i / batches + 1, i % batches + 1, batches}, seen.get(i), "report " + i);
        }
        assertEquals(List.of(1, 2), epochsEnded);
        assertArrayEquals(without, withBatches, "a batch listener leaves the trained weights bit-identical");
    }

    private static float[] trainAndPredict(Backend backend, SplitIndices split, EpochListener listener) {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 1)) {
            TrainingConfig cfg = TrainingConfig.seedDefaults(1).withEpochs(2).withBatchSize(32);
            new Trainer(cfg).train(m, BLOBS, split.train(), split.validation(), listener);
            Evaluation e = Evaluator.evaluate(m, BLOBS, split.test(), 64);
            return new float[] {(float) e.loss(), (float) e.accuracy()};
        }
    }
}
