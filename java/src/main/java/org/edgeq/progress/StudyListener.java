package org.edgeq.progress;

/**
 * Hears a study's progress: which cells start, advance and finish. The command line shows it as progress bars on a
 * terminal and as timestamped lines elsewhere (defined here, below the study, so that displays need nothing of it); every method defaults to doing nothing. Cells run in parallel, so
 * implementations are called from several threads.
 */
public interface StudyListener {

    /** The study starts with {@code cells} cells, {@code alreadyDone} of which a previous run finished. */
    default void studyStarted(int cells, int alreadyDone) {
    }

    /** A cell starts; {@code totalSteps} is its planned work in its own unit (batches, say), 0 when unknown. */
    default void cellStarted(String cellId, String label, long totalSteps) {
    }

    /** A running cell has done {@code stepsDone} of its steps. */
    default void cellProgress(String cellId, long stepsDone) {
    }

    /** A cell finished and its row is on disk. */
    default void cellFinished(String cellId, String label, double seconds) {
    }

    /** A cell failed; the study goes on with the others. */
    default void cellFailed(String cellId, String label, String reason) {
    }

    /** The study ends. */
    default void studyFinished(int finished, int failed, double seconds) {
    }
}
