package org.edgeq.cli;

import org.edgeq.study.StudyListener;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A study's progress as plain timestamped lines on stderr: each cell's start, end or failure and the count so far.
 * A stand-in until the terminal progress display (StudyProgress.forStderr) is merged; cells call it from several
 * threads, so each line is printed whole.
 */
final class PlainProgressLines implements StudyListener {
    private final PrintWriter err;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int todo;

    PlainProgressLines(PrintWriter err) {
        this.err = err;
    }

    private synchronized void line(String text) {
        err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
        err.flush();
    }

    @Override
    public void studyStarted(int cells, int alreadyDone) {
        todo = cells - alreadyDone;
        line("study: " + cells + " cells, " + alreadyDone + " already done, " + todo + " to run");
    }

    @Override
    public void cellStarted(String cellId, String label, long totalSteps) {
        line("cell " + cellId + " " + label + ": started");
    }

    @Override
    public void cellFinished(String cellId, String label, double seconds) {
        line(String.format(Locale.ROOT, "cell %s %s: done in %.1f s (%d/%d)", cellId, label, seconds, done.incrementAndGet(), todo));
    }

    @Override
    public void cellFailed(String cellId, String label, String reason) {
        line(String.format(Locale.ROOT, "cell %s %s: FAILED: %s (%d/%d)", cellId, label, Main.oneLine(reason), done.incrementAndGet(), todo));
    }

    @Override
    public void studyFinished(int finished, int failed, double seconds) {
        line(String.format(Locale.ROOT, "study: %d cells finished, %d failed, %.1f s", finished, failed, seconds));
    }
}
