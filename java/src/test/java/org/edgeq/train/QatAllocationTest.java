package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.junit.jupiter.api.Test;

/** Quantization-aware training keeps the trainer's promise: once its buffers exist, an epoch allocates no tensors. */
class QatAllocationTest {

    @Test
    void steadyStateQatTrainingAllocatesNoTensorsWithObserversAndLearnedSteps() {
        try (Backend cpu = TestBackends.cpu(2)) {
            CountingBackend counting = new CountingBackend(cpu);
            // 100 samples, batch 16: every epoch ends on a short batch of 4 (views of the quantizers' buffers).
            Dataset images = SyntheticDatasets.images(100, 8, 3, 3);
            ModelConfig mc = new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false);
            for (QatConfig qc : List.of(QatConfig.of(4, 8), QatConfig.of(4, 8).withLearnedSteps())) {
                try (Model m = ModelFactory.create(mc, counting, 1); QatHook qat = QatHook.prepare(m, qc)) {
                    List<Long> counts = new ArrayList<>();
                    new Trainer(TrainingConfig.seedDefaults(1).withEpochs(3)).withHook(qat).train(m, images, images,
                            (s, i) -> counts.add(counting.allocations.get()));
                    assertEquals(counts.get(0), counts.get(2), qc + ": allocations after epoch 1 and after epoch 3");
                }
            }
        }
    }
}
