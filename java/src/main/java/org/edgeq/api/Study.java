package org.edgeq.api;

import org.edgeq.backend.Backends;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.metrics.LatencyOptions;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.progress.StudyListener;
import org.edgeq.report.StudyReport;
import org.edgeq.study.BadInputException;
import org.edgeq.study.BadUsageException;
import org.edgeq.study.CellExecution;
import org.edgeq.study.StudyCell;
import org.edgeq.study.StudyFile;
import org.edgeq.study.StudyKey;
import org.edgeq.study.StudyPlan;
import org.edgeq.study.StudyResults;
import org.edgeq.study.StudyRunner;
import org.edgeq.study.StudySettings;
import org.edgeq.study.StudySpecBuilder;
import org.edgeq.study.UnwritableDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A compression study run from a program: what {@code edgeq study} runs (the same plan, runner, files and report),
 * set up with the study's keys instead of flags. For example
 * <pre>{@code
 * StudyOutcome done = Study.defaults().set("dataset", "telescope").set("bits", "8", "4").out(Path.of("runs/s")).run();
 * }</pre>
 * The keys are those of a study file and the flags' names without their dashes (docs/study-file.md), each with its
 * values as text; a key not set takes the study file's value, else its default. Rerunning a study into the same
 * folder resumes it: cells on file in results.csv are not run again. A settings object is immutable; each setter
 * returns a changed copy.
 */
public final class Study {
    /** Where {@code edgeq study} writes when no --out is given. */
    public static final Path DEFAULT_OUT = Path.of("study-out");

    /** Rows per forward pass when a variant is measured (edgeq study's --eval-batch-size default). */
    private static final int EVAL_BATCH = 256;

    // Not final so that a setter can change its fresh copy; a Study never changes once a caller holds it.
    private StudySettings file;
    private Map<StudyKey, List<String>> given;
    private Path out;
    private Integer jobs;
    private String backend;
    private Path dataDir;
    private LatencyOptions latency;
    private StudyListener progress;
    private PrintWriter log;

    private Study(StudySettings file) {
        this.file = file;
        this.given = new EnumMap<>(StudyKey.class);
        this.out = DEFAULT_OUT;
        this.backend = EdgeQ.AUTO;
        this.latency = LatencyOptions.DEFAULT;
        this.progress = new StudyListener() {
        };
        this.log = new PrintWriter(PrintWriter.nullWriter());
    }

    private Study(Study other) {
        this.file = other.file;
        this.given = new EnumMap<>(StudyKey.class);
        this.given.putAll(other.given);
        this.out = other.out;
        this.jobs = other.jobs;
        this.backend = other.backend;
        this.dataDir = other.dataDir;
        this.latency = other.latency;
        this.progress = other.progress;
        this.log = other.log;
    }

    /**
     * The default study, as {@code edgeq study} with no flags: synthetic-hard on dense-simple, PTQ, QAT and pruning
     * (org.edgeq.study.StudyDefaults lists every key's default), into {@code study-out}, on the best available backend,
     * as many cells at once as there are processors, silently.
     *
     * @return the settings
     */
    public static Study defaults() {
        return new Study(StudySettings.none());
    }

    /**
     * The study a study file describes ({@code edgeq study --study FILE}); keys {@link #set} afterwards override the
     * file's, one by one.
     *
     * @param studyFile a YAML map of study keys to values (docs/study-file.md)
     * @return the settings
     * @throws IllegalArgumentException when the file is missing, unreadable, or not a study file ({@code FILE:LINE: reason})
     */
    public static Study fromFile(Path studyFile) {
        try {
            return new Study(StudyFile.read(studyFile));
        } catch (BadInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The same study with {@code key} set to {@code values} (in place of the file's or the default value). The values
     * are checked when the study is planned, with the message the flag {@code --key} gets on the command line.
     *
     * @param key    a study key, e.g. {@code bits}, {@code prune-ratios}, {@code per-channel}
     * @param values its values as text, each possibly comma-separated, as the flag takes them; {@code none} alone is
     *               the empty list
     * @return changed settings
     * @throws IllegalArgumentException for an unknown key (naming it and the allowed ones) or no values
     */
    public Study set(String key, String... values) {
        StudyKey k = key == null ? null : StudyKey.byKey(key);
        if (k == null) throw new IllegalArgumentException("unknown study key '" + key + "' (allowed: " + StudyKey.allowed() + ")");
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("study key '" + key + "' needs a value (none for an empty list)");
        }
        for (String v : values) if (v == null) throw new IllegalArgumentException("study key '" + key + "' has a null value");
        Study s = new Study(this);
        s.given.put(k, List.of(values));
        return s;
    }

    /**
     * The same study writing into another folder: results.csv, results.json, report.html, the base models
     * (models/). A folder that holds part of this study's results is resumed.
     *
     * @param out the study's folder
     * @return changed settings
     */
    public Study out(Path out) {
        if (out == null) throw new IllegalArgumentException("out must not be null");
        Study s = new Study(this);
        s.out = out;
        return s;
    }

    /**
     * The same study running {@code jobs} cells at once on the CPU, each with its share of the processors as backend
     * threads (default: one cell per processor); a GPU runs one cell at a time.
     *
     * @param jobs cells at once, at least 1
     * @return changed settings
     */
    public Study jobs(int jobs) {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        Study s = new Study(this);
        s.jobs = jobs;
        return s;
    }

    /**
     * The same study on another backend.
     *
     * @param backend {@value EdgeQ#AUTO}, {@code cpu} or {@code cuda}
     * @return changed settings
     */
    public Study backend(String backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        Study s = new Study(this);
        s.backend = backend;
        return s;
    }

    /**
     * The same study reading named datasets from another folder.
     *
     * @param dataDir where named datasets live; null for the default places (docs/data.md)
     * @return changed settings
     */
    public Study dataDir(Path dataDir) {
        Study s = new Study(this);
        s.dataDir = dataDir;
        return s;
    }

    /**
     * The same study timing each row's batch-1 latency differently ({@code edgeq study --latency-seconds S
     * --latency-iterations N}; default 1 s and 50 runs at least, after a warm-up of half that).
     *
     * @param seconds    timed seconds, 0..3600 (0: the iterations alone, no waiting for the JIT compiler)
     * @param iterations timed runs at least, 1..1000000
     * @return changed settings
     */
    public Study latency(double seconds, int iterations) {
        if (!(seconds >= 0 && seconds <= 3600)) throw new IllegalArgumentException("latency seconds must be 0..3600, got " + seconds);
        if (iterations < 1 || iterations > 1_000_000) {
            throw new IllegalArgumentException("latency iterations must be 1..1000000, got " + iterations);
        }
        Study s = new Study(this);
        s.latency = LatencyOptions.of(seconds, iterations);
        return s;
    }

    /**
     * The same study reporting its progress to {@code listener} (called from the cells' threads; default: nobody).
     * {@link org.edgeq.progress.PlainStudyLines} prints timestamped lines as {@code edgeq study} does off a terminal.
     *
     * @param listener hears the study start, each cell start, advance, finish or fail, and the study end
     * @return changed settings
     */
    public Study progress(StudyListener listener) {
        if (listener == null) throw new IllegalArgumentException("listener must not be null");
        Study s = new Study(this);
        s.progress = listener;
        return s;
    }

    /**
     * The same study printing the cells' own lines (the base models' training epochs) to {@code log} (default: nowhere).
     *
     * @param log where the lines go; cells running at once share it
     * @return changed settings
     */
    public Study log(PrintWriter log) {
        if (log == null) throw new IllegalArgumentException("log must not be null");
        Study s = new Study(this);
        s.log = log;
        return s;
    }

    /**
     * The study's cells in plan order (base models outermost), as {@code edgeq study plan} labels them, e.g.
     * {@code synthetic-blobs/dense-simple mid-rise-4bit}; nothing is run or written.
     *
     * @return one label per cell
     * @throws IllegalArgumentException for a bad value, with the message its flag gets on the command line
     */
    public List<String> cells() {
        return plan().cells().stream().map(StudyCell::label).toList();
    }

    /**
     * Runs the study's unfinished cells into its folder, then writes results.json and the report from every row on
     * file. A cell that fails is counted in {@link StudyOutcome#failed()} and the others still run; running the same
     * study again retries it.
     *
     * @return what ran and every row on file
     * @throws IOException              when the folder cannot be written or a file cannot be read
     * @throws IllegalArgumentException for a bad value (the message its flag gets on the command line), a dataset
     *                                  that cannot be read, or a results.csv that is not a study's
     * @throws IllegalStateException    when the backend cannot run here, or the JVM lacks the Vector API module
     */
    public StudyOutcome run() throws IOException {
        JvmRequirements.requireVectorModule();
        StudyPlan plan = plan();
        // Chosen now so that an unknown or unavailable backend is refused before any work; a GPU runs one cell at a time.
        boolean gpu = Backends.choose(backend).isGpu();
        String why = UnwritableDirectory.check(out);
        if (why != null) throw new IOException(out + ": " + why);
        int cores = Runtime.getRuntime().availableProcessors();
        StudyRunner.Parallelism parallelism = new StudyRunner.Parallelism(jobs == null ? cores : jobs, cores, gpu);
        CellExecution cells = CellExecution.inFolder(out, dataDir, EVAL_BATCH, MeterOptions.defaults(EVAL_BATCH).withLatency(latency),
                EnergyOptions.defaults());
        StudyRunner runner = new StudyRunner(cells, threads -> EdgeQ.openBackend(backend, threads), parallelism, progress, log);
        StudyResults results = new StudyResults(out);
        List<StudyReport.Written> report = new ArrayList<>(1);
        try {
            StudyRunner.Outcome o = runner.run(plan, results, (dir, rows) -> report.add(StudyReport.write(dir, rows)));
            return new StudyOutcome(o.cells(), o.alreadyDone(), o.finished(), o.failed(), o.rows(), results.csvFile(),
                    results.jsonFile(), report.getFirst().html(), report.getFirst().bestVariants());
        } catch (BadUsageException | BadInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The plan of these settings, checked as the command line checks its flags (set keys count as flags). */
    private StudyPlan plan() {
        try {
            return StudyPlan.of(StudySpecBuilder.build(file.overriddenBy(StudySettings.ofFlags(given))));
        } catch (BadUsageException | BadInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
