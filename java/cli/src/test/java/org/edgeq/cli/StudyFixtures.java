package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Small saved models for the compression commands' tests, made with the Java API instead of a training run. */
final class StudyFixtures {
    private StudyFixtures() {
    }

    /** A dense [32, 16] model on synthetic-blobs with its initial weights, saved as 'edgeq train --out' would. */
    static Path savedModel(Path dir, boolean finished) throws Exception {
        Dataset all = SyntheticDatasets.blobs();
        ModelConfig config = new ModelConfig("dense", all.featureShape(), all.numClasses(), List.of(32, 16), 0f, false);
        SplitIndices split = new SplitIndices(IntStream.range(0, 600).toArray(), IntStream.range(600, 700).toArray(),
                IntStream.range(700, 900).toArray());
        Map<String, Double> metrics = finished ? Map.of("test_acc", 0.5) : Map.of();
        TrainingMetadata meta = new TrainingMetadata(all.name(), "synthetic-blobs", all.task(), all.classNames(), null, null, null,
                42, Map.of("model", "dense"), metrics);
        try (Backend backend = TestBackends.cpu(1); Model m = ModelFactory.create(config, backend, 7)) {
            Checkpoint.save(dir, m.stateDict(), new ModelDescription(config, meta), split, all.size());
        }
        return dir;
    }
}
