package org.edgeq.progress;


import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * A study's progress as timestamped lines, for stderr that is not a terminal (CI logs, files): one line per cell
 * started, finished or failed, and an overall line with ETA at most every {@code overallEvery}.
 */
public final class PlainStudyLines implements StudyListener {
    private final PrintWriter out;
    private final Clock clock;
    private final long overallEveryMillis;
    private final StudyTally tally = new StudyTally();
    private long startMillis;
    private long lastOverallMillis;

    public PlainStudyLines(PrintStream out, Clock clock, Duration overallEvery) {
        this(new PrintWriter(out, true), clock, overallEvery);
    }

    public PlainStudyLines(PrintWriter out, Clock clock, Duration overallEvery) {
        this.out = out;
        this.clock = clock;
        this.overallEveryMillis = overallEvery.toMillis();
        this.startMillis = clock.millis();
        this.lastOverallMillis = startMillis;
    }

    @Override
    public void studyStarted(int cells, int alreadyDone) {
        tally.studyStarted(cells, alreadyDone);
        synchronized (this) {
            startMillis = clock.millis();
            lastOverallMillis = startMillis;
        }
        line("study: " + cells + " cells" + (alreadyDone > 0 ? ", " + alreadyDone + " done by an earlier run" : "")
                + ", " + (cells - alreadyDone) + " to run");
    }

    @Override
    public void cellStarted(String cellId, String label, long totalSteps) {
        StudyTally.Running r = tally.cellStarted(cellId, label, totalSteps);
        line(cell(r) + " started");
        overallIfDue();
    }

    @Override
    public void cellProgress(String cellId, long stepsDone) {
        // Steps only move the ETA; a line per step would drown the log.
        if (tally.cellProgress(cellId, stepsDone) != null) overallIfDue();
    }

    @Override
    public void cellFinished(String cellId, String label, double seconds) {
        StudyTally.Running r = tally.cellEnded(cellId, label, true);
        line(cell(r) + String.format(Locale.ROOT, " finished in %.1f s", seconds));
        overallIfDue();
    }

    @Override
    public void cellFailed(String cellId, String label, String reason) {
        StudyTally.Running r = tally.cellEnded(cellId, label, false);
        line(cell(r) + " failed: " + reason);
        overallIfDue();
    }

    @Override
    public void studyFinished(int finished, int failed, double seconds) {
        line("study finished: " + finished + " cells" + (failed > 0 ? ", " + failed + " failed" : "") + " in "
                + ProgressText.duration(seconds));
    }

    private String cell(StudyTally.Running r) {
        return "cell " + r.number() + "/" + tally.snapshot().cells() + " " + r.label();
    }

    private void overallIfDue() {
        long now = clock.millis();
        long start;
        synchronized (this) {
            if (now - lastOverallMillis < overallEveryMillis) return;
            lastOverallMillis = now;
            start = startMillis;
        }
        line(ProgressText.overall(tally.snapshot(), (now - start) / 1000.0));
    }

    private void line(String text) {
        // One println per line keeps lines from different threads whole (PrintWriter locks per call).
        out.println(ProgressText.timestamp(clock.instant()) + " " + text);
        out.flush();
    }
}
