package org.edgeq.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A study's progress on a terminal: one bar per running cell under one overall bar with ETA, redrawn in place a few
 * times a second; a finished or failed cell leaves one line above the bars. The bars are me.tongfei:progressbar's
 * renderings; this class owns the screen, since the library's own multi-bar mode cannot take bars away. Anything
 * else printed to the terminal meanwhile must go through {@link #messages()}, or it lands inside the bars' block.
 */
public final class TerminalStudyBars implements StudyListener {
    /** The overall bar counts cells in thousandths, so that running cells move it between finishes. */
    private static final long PER_CELL = 1000;
    private static final int REDRAW_MILLIS = 250;

    private final PrintStream out;
    private final int width;
    private final StudyTally tally = new StudyTally();
    private final Map<String, Bar> cells = new LinkedHashMap<>();
    private final List<String> finishedLines = new ArrayList<>();
    private final ScheduledExecutorService redraw;
    private Bar overall;
    private int drawnLines;
    private String drawnBars = "";
    private boolean closed;

    private record Bar(ProgressBar bar, CapturingBarConsumer view) {
        static Bar of(String task, long max, long startsFrom, String unit, long unitSize, int width) {
            CapturingBarConsumer view = new CapturingBarConsumer(width, task);
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(REDRAW_MILLIS).setConsumer(view);
            if (max > 0) b.setInitialMax(max);
            if (unit != null) b.setUnit(unit, unitSize);
            // Cells done by an earlier run count as progress but not towards the speed the ETA comes from.
            if (startsFrom > 0) b.startsFrom(startsFrom, Duration.ZERO);
            return new Bar(b.build(), view);
        }
    }

    public TerminalStudyBars(PrintStream out, int width) {
        this.out = out;
        this.width = width;
        this.redraw = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeq-study-progress");
            t.setDaemon(true); // never holds the JVM open, e.g. when a study dies without studyFinished
            return t;
        });
        redraw.scheduleAtFixedRate(this::draw, REDRAW_MILLIS, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void studyStarted(int cells, int alreadyDone) {
        tally.studyStarted(cells, alreadyDone);
        synchronized (this) {
            if (overall != null) overall.bar().close();
            overall = Bar.of("study", cells * PER_CELL, alreadyDone * PER_CELL, " cells", PER_CELL, width);
        }
        draw();
    }

    @Override
    public void cellStarted(String cellId, String label, long totalSteps) {
        StudyTally.Running r = tally.cellStarted(cellId, label, totalSteps);
        Bar bar = Bar.of(barName(r), totalSteps, 0, null, 1, width);
        synchronized (this) {
            Bar old = cells.put(cellId, bar);
            if (old != null) old.bar().close();
        }
        moveOverall();
        draw();
    }

    @Override
    public void cellProgress(String cellId, long stepsDone) {
        if (tally.cellProgress(cellId, stepsDone) == null) return;
        synchronized (this) {
            Bar bar = cells.get(cellId);
            if (bar != null) bar.bar().stepTo(stepsDone);
        }
        moveOverall();
    }

    @Override
    public void cellFinished(String cellId, String label, double seconds) {
        ended(tally.cellEnded(cellId, label, true), String.format(Locale.ROOT, "finished in %.1f s", seconds));
    }

    @Override
    public void cellFailed(String cellId, String label, String reason) {
        ended(tally.cellEnded(cellId, label, false), "failed: " + reason);
    }

    @Override
    public void studyFinished(int finished, int failed, double seconds) {
        moveOverall();
        synchronized (this) {
            finishedLines.add("study finished: " + finished + " cells" + (failed > 0 ? ", " + failed + " failed" : "")
                    + " in " + ProgressText.duration(seconds));
            cells.values().forEach(b -> b.bar().close());
            cells.clear();
            if (overall != null) overall.bar().close();
            overall = null;
            draw();
            closed = true;
        }
        redraw.shutdownNow();
    }

    /** Prints {@code line} above the bars (a cell's message), at once. */
    public void lineAbove(String line) {
        synchronized (this) {
            if (closed) {
                out.println(line);
                return;
            }
            finishedLines.add(line);
        }
        draw();
    }

    /** A writer for the cells' messages while the bars are drawn: each of its lines goes {@link #lineAbove above} them. */
    public PrintWriter messages() {
        return new PrintWriter(new LinesAboveWriter(this), true);
    }

    private void ended(StudyTally.Running r, String how) {
        synchronized (this) {
            Bar bar = cells.remove(r.cellId());
            if (bar != null) bar.bar().close();
            finishedLines.add(cellName(r) + " " + how);
        }
        moveOverall();
        draw();
    }

    private String cellName(StudyTally.Running r) {
        return "cell " + r.number() + "/" + tally.snapshot().cells() + " " + r.label();
    }

    /** The cell's name on its bar: a long label keeps its end (the variant), so that the bar keeps room to move. */
    private String barName(StudyTally.Running r) {
        String name = cellName(r);
        int room = Math.max(20, width / 2);
        return name.length() <= room ? name : "…" + name.substring(name.length() - room + 1);
    }

    private void moveOverall() {
        StudyTally.Snapshot s = tally.snapshot();
        synchronized (this) {
            if (overall != null) overall.bar().stepTo(Math.round((s.alreadyDone() + s.doneThisRun()) * PER_CELL));
        }
    }

    /** Redraws the block: cursor back to its first line, the new permanent lines, then the bars, then clear below. */
    private synchronized void draw() {
        if (closed) return;
        StringBuilder bars = new StringBuilder();
        int lines = 0;
        for (Bar bar : cells.values()) {
            bars.append("\033[2K").append(bar.view().latest()).append('\n');
            lines++;
        }
        if (overall != null) {
            bars.append("\033[2K").append(overall.view().latest()).append('\n');
            lines++;
        }
        // Nothing new: no bytes (a log of the terminal, e.g. script(1)'s, stays small).
        if (finishedLines.isEmpty() && bars.toString().equals(drawnBars)) return;
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) b.append("\033[").append(drawnLines).append('F');
        // Lines above the bars may wrap: the cursor never goes back above the bars' first line.
        for (String line : finishedLines) b.append("\033[2K").append(line).append('\n');
        finishedLines.clear();
        b.append(bars).append("\033[J");
        drawnLines = lines;
        drawnBars = bars.toString();
        out.print(b);
        out.flush();
    }
}
