package org.edgeq.cli;

import picocli.CommandLine.Option;

/** Learning rate and batch size of the training a compression command runs; by default those the trained model it starts from was trained with. */
final class StudyTrainingOptions {

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate of the training here (default: the one the given trained model was trained with).")
    Float lr;

    @Option(names = "--train-batch-size", paramLabel = "N", description = "Batch size of the training here (default: the one the given trained model was trained with).")
    Integer trainBatchSize;

    /** Refuses option values outside their range; picocli has checked the types already. */
    void validate() {
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) throw new UsageException("--lr must be a positive number, got " + lr);
        BatchSizes.checkOptional("--train-batch-size", trainBatchSize);
    }
}
