package org.edgeq.study;

import org.edgeq.backend.Backend;
import org.edgeq.progress.StudyListener;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a study's unfinished cells, {@code jobs} at a time, and records each finished cell's rows at once in
 * DIR/results.csv (one forced write), so a killed run loses only the cells in flight and a rerun skips the rest.
 * Each running CPU cell gets its share of the cores as backend threads; a GPU backend runs one cell at a time. A
 * failed cell is reported and the others go on. At the end results.json is rewritten from the CSV and the report
 * is written through the {@link ReportWriter}.
 */
public final class StudyRunner {

    /** Opens a backend for one cell with {@code threads} CPU threads (a GPU backend ignores them). */
    @FunctionalInterface
    public interface BackendFactory {
        Backend open(int threads);
    }

    /** Writes the study's report from its rows (at the command line: org.edgeq.report.StudyReport.write). */
    @FunctionalInterface
    public interface ReportWriter {
        void write(Path dir, List<ResultRow> rows) throws IOException;
    }

    /**
     * How the cells are spread over the machine.
     *
     * @param jobs  cells at a time (CPU); at least 1
     * @param cores the processors the cells share
     * @param gpu   whether the backend is a GPU: then one cell at a time
     */
    public record Parallelism(int jobs, int cores, boolean gpu) {
        public Parallelism {
            if (jobs < 1) throw new BadUsageException("--jobs must be >= 1, got " + jobs);
        }

        /** Cells running at once. */
        public int running() {
            return gpu ? 1 : jobs;
        }

        /** Backend threads of each running cell: its share of the cores. */
        public int threadsPerCell() {
            return Math.max(1, cores / running());
        }
    }

    /** What a run did: the plan's size, cells found finished, cells run now, cells failed, and every row on file. */
    public record Outcome(int cells, int alreadyDone, int finished, int failed, List<ResultRow> rows) {
    }

    private final CellExecution cells;
    private final BackendFactory backends;
    private final Parallelism parallelism;
    private final StudyListener listener;
    private final PrintWriter log;

    public StudyRunner(CellExecution cells, BackendFactory backends, Parallelism parallelism, StudyListener listener, PrintWriter log) {
        this.cells = cells;
        this.backends = backends;
        this.parallelism = parallelism;
        this.listener = listener;
        this.log = log;
    }

    /** A study ready to run: its plan, and the cells results.csv does not hold yet. */
    public record Pending(StudyPlan plan, List<StudyCell> todo) {
        /** Cells a previous run finished. */
        public int alreadyDone() {
            return plan.size() - todo.size();
        }
    }

    /**
     * Repairs and opens results.csv, finds the unfinished cells and checks that their base models can be trained
     * here (bad input fails now, before any work).
     */
    public Pending prepare(StudyPlan plan, StudyResults results) throws IOException {
        Map<String, String> done = results.openForAppend(plan);
        List<StudyCell> todo = plan.cells().stream().filter(c -> !done.containsKey(c.id())).toList();
        cells.check(todo);
        return new Pending(plan, todo);
    }

    /** Runs the unfinished cells of {@code plan} into {@code results}, then writes results.json and the report. */
    public Outcome run(StudyPlan plan, StudyResults results, ReportWriter report) throws IOException {
        return run(prepare(plan, results), results, report);
    }

    /** Runs the pending cells into {@code results} (opened by {@link #prepare}), then writes results.json and the report. */
    public Outcome run(Pending pending, StudyResults results, ReportWriter report) throws IOException {
        long t0 = System.nanoTime();
        StudyPlan plan = pending.plan();
        List<StudyCell> todo = pending.todo();
        int already = pending.alreadyDone();
        listener.studyStarted(plan.size(), already);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism.running(), Thread.ofPlatform().name("edgeq-cell-", 0).factory());
        try {
            for (StudyCell c : todo) {
                pool.submit(() -> {
                    if (runOne(c, results)) finished.incrementAndGet();
                    else failed.incrementAndGet();
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                    // a long study: keep waiting
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        List<ResultRow> rows = results.rows();
        results.writeJson(rows);
        report.write(results.dir(), rows);
        listener.studyFinished(finished.get(), failed.get(), (System.nanoTime() - t0) / 1e9);
        return new Outcome(plan.size(), already, finished.get(), failed.get(), rows);
    }

    /** Runs cell {@code c} and appends its rows; false (and reported) when it failed. */
    private boolean runOne(StudyCell c, StudyResults results) {
        long start = System.nanoTime();
        listener.cellStarted(c.id(), c.label(), c.variant().steps());
        try (Backend backend = backends.open(parallelism.threadsPerCell())) {
            List<ResultRow> rows = cells.run(c, backend, parallelism.threadsPerCell(), log, steps -> listener.cellProgress(c.id(), steps));
            results.append(rows);
            listener.cellFinished(c.id(), c.label(), (System.nanoTime() - start) / 1e9);
            return true;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            listener.cellFailed(c.id(), c.label(), e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    /**
     * Runs cell {@code c} alone into DIR/cells/&lt;id&gt;.csv (how a cluster runs one cell per task); false when its
     * file was there already and nothing ran.
     */
    public boolean runAlone(StudyCell c, StudyResults results) throws IOException {
        if (Files.exists(results.cellFile(c.id()))) return false;
        cells.check(List.of(c));
        long start = System.nanoTime();
        listener.cellStarted(c.id(), c.label(), c.variant().steps());
        try (Backend backend = backends.open(parallelism.threadsPerCell())) {
            List<ResultRow> rows = cells.run(c, backend, parallelism.threadsPerCell(), log, steps -> listener.cellProgress(c.id(), steps));
            results.writeCell(c.id(), rows);
        } catch (IOException | RuntimeException e) {
            listener.cellFailed(c.id(), c.label(), e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
        listener.cellFinished(c.id(), c.label(), (System.nanoTime() - start) / 1e9);
        return true;
    }
}
