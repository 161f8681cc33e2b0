package org.edgeq.cli;

import picocli.CommandLine.Option;

/** Learning rate and batch size of the training a compression command runs; by default those the trained model it starts from was trained with. */
final class StudyTrainingOptions {

    @Option(names = "--lr", paramLabel = "RATE", converter = Ranges.LearningRate.class, description = "Learning rate of the training here (default: the one the given trained model was trained with).")
    Float lr;

    @Option(names = "--train-batch-size", paramLabel = "N", converter = Ranges.BatchSize.class, description = "Batch size of the training here (default: the one the given trained model was trained with).")
    Integer trainBatchSize;
}
