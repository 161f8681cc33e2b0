package org.edgeq.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's progress as counts: cells planned, done before, finished, failed, and the running ones with their steps;
 * the shared state of both progress displays. Thread-safe: cells report from several threads.
 */
final class StudyTally {

    /** A running cell: its number in start order (from 1, after the cells done before), label and steps. */
    record Running(String cellId, int number, String label, long totalSteps, long stepsDone) {
        /** The share of this cell that is done, 0 when its steps are unknown. */
        double fraction() {
            return totalSteps <= 0 ? 0 : Math.min(1.0, (double) stepsDone / totalSteps);
        }
    }

    /** The figures one overall line or bar shows. */
    record Snapshot(int cells, int alreadyDone, int finished, int failed, List<Running> running) {
        /** Cells this run has to do. */
        int toRun() {
            return Math.max(0, cells - alreadyDone);
        }

        /** Cells this run has done, counting running cells by their finished share. */
        double doneThisRun() {
            double d = finished + failed;
            for (Running r : running) d += r.fraction();
            return d;
        }

        /** Seconds left at the pace so far, or -1 before there is a pace to go by. */
        double etaSeconds(double elapsedSeconds) {
            double done = doneThisRun();
            if (done <= 0 || elapsedSeconds <= 0) return -1;
            return Math.max(0, elapsedSeconds * (toRun() - done) / done);
        }
    }

    private int cells;
    private int alreadyDone;
    private int finished;
    private int failed;
    private int started;
    private final Map<String, Running> running = new LinkedHashMap<>();

    synchronized void studyStarted(int cells, int alreadyDone) {
        this.cells = cells;
        this.alreadyDone = alreadyDone;
    }

    synchronized Running cellStarted(String cellId, String label, long totalSteps) {
        Running r = new Running(cellId, alreadyDone + ++started, label, totalSteps, 0);
        running.put(cellId, r);
        return r;
    }

    /** The running cell after its progress, or null for a cell that was never reported started. */
    synchronized Running cellProgress(String cellId, long stepsDone) {
        Running r = running.get(cellId);
        if (r == null) return null;
        Running now = new Running(r.cellId(), r.number(), r.label(), r.totalSteps(), stepsDone);
        running.put(cellId, now);
        return now;
    }

    /** Removes the cell from the running ones and counts it; returns it (a new number when it never started). */
    synchronized Running cellEnded(String cellId, String label, boolean ok) {
        Running r = running.remove(cellId);
        if (r == null) r = new Running(cellId, alreadyDone + ++started, label, 0, 0);
        if (ok) finished++;
        else failed++;
        return r;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(cells, alreadyDone, finished, failed, List.copyOf(new ArrayList<>(running.values())));
    }
}
