package org.edgeq.cli;

import org.edgeq.progress.PlainStudyLines;
import org.edgeq.progress.StderrTerminal;
import org.edgeq.progress.TerminalStudyBars;
import org.edgeq.progress.StudyListener;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/** Shows a study's progress on stderr: bars on a terminal, timestamped lines elsewhere, nothing when quiet. */
public final class StudyProgress {
    /** How often, at most, the plain form prints its overall line: often enough for a CI log to look alive. */
    static final Duration OVERALL_EVERY = Duration.ofSeconds(5);

    private StudyProgress() {
    }

    /** The listener for {@code err}: progress bars when the process's stderr is a terminal, plain lines when not. */
    public static StudyListener forStderr(PrintStream err, boolean quiet) {
        if (quiet) return quiet();
        return StderrTerminal.isTerminal() ? bars(err, StderrTerminal.columns()) : lines(err, Clock.systemUTC(), OVERALL_EVERY);
    }

    /**
     * The listener for a command whose stderr is {@code err}: bars on the process's stderr when it is a terminal,
     * plain lines on {@code err} when not (so tests and pipes see them where the command writes its messages).
     */
    public static StudyListener forStderr(PrintWriter err, boolean quiet) {
        if (quiet) return quiet();
        if (StderrTerminal.isTerminal()) {
            err.flush();
            return bars(System.err, StderrTerminal.columns());
        }
        return new PlainStudyLines(err, Clock.systemUTC(), OVERALL_EVERY);
    }

    /**
     * Where a study's cells should print their messages (epoch lines, rows) while {@code listener} shows progress:
     * above the bars when it draws them, {@code err} otherwise.
     */
    public static PrintWriter messages(StudyListener listener, PrintWriter err) {
        return listener instanceof TerminalStudyBars bars ? bars.messages() : err;
    }

    /** Hears everything, shows nothing ({@code --quiet}). */
    static StudyListener quiet() {
        return new StudyListener() {
        };
    }

    /** Timestamped lines on {@code out}, an overall line at most every {@code overallEvery}. */
    static StudyListener lines(PrintStream out, Clock clock, Duration overallEvery) {
        return new PlainStudyLines(out, clock, overallEvery);
    }

    /** Bars redrawn in place on a terminal {@code width} columns wide. */
    static StudyListener bars(PrintStream out, int width) {
        return new TerminalStudyBars(out, width);
    }
}
