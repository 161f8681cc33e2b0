package org.edgeq.cli;

import org.edgeq.study.ResultRow;
import org.edgeq.study.StudyCell;
import org.edgeq.report.StudyReport;
import org.edgeq.progress.StudyListener;
import org.edgeq.study.StudyPlan;
import org.edgeq.study.StudyResults;
import org.edgeq.study.StudyRunner;
import org.edgeq.study.UnwritableDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code edgeq study}: plans a sweep of compression variants over trained base models, runs its unfinished cells in parallel, and reports. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {StudyCommand.PlanCommand.class, StudyCommand.RunCellCommand.class, StudyCommand.MergeCommand.class},
        description = {
                "Sweep compression variants (the cells: every base model x every variant) and record every row in "
                        + "DIR/results.csv (schema v2, with each cell's id) and DIR/results.json, then the report. Base "
                        + "models are trained once, into DIR/models/, and shared by their cells. Cells run in parallel "
                        + "(--jobs, each CPU cell with its share of the cores; a GPU runs one at a time). Each finished "
                        + "cell is written at once, so an interrupted study loses only the cells in flight: rerun the "
                        + "same command to finish it.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq study                                      the default study, into study-out/",
                "  edgeq study --dataset telescope --bits 8,4 --out runs/tel-study --jobs 2",
                "  edgeq study plan --json                          the cells (index, id, label) for scripts",
                "  edgeq study run-cell --index 3 --out runs/s      cell 3 alone, into runs/s/cells/<id>.csv",
                "  edgeq study merge --out runs/s                   gather the cells into runs/s/results.csv and report",
                "",
                "Exit codes: 0 every cell finished, 1 a cell failed (the others still ran), 2 bad usage or input "
                        + "(an unwritable --out fails before any work)."})
final class StudyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StudySpecOptions studySpec;

    @Mixin
    StudyEngineOptions engine;

    @Mixin
    EnergyCliOptions energy;

    @Option(names = "--jobs", paramLabel = "N", description = "Cells run at once on the CPU (default: one per available processor; "
            + "each running cell gets processors/N backend threads).")
    Integer jobs;

    @Option(names = "--quiet", description = "No progress lines on stderr; only the summary on stdout.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StudyPlan plan = StudyPlan.of(studySpec.spec());
        int cores = Runtime.getRuntime().availableProcessors();
        StudyRunner.Parallelism parallelism = new StudyRunner.Parallelism(jobs == null ? cores : jobs, cores, BackendSelection.isGpu(engine.backend));
        engine.validate();
        StudyResults results = new StudyResults(engine.out);
        StudyListener progress = progress(err, quiet);
        StudyRunner runner = engine.runner(energy, parallelism, progress, messages(progress, err, quiet));
        StudyRunner.Pending pending = runner.prepare(plan, results);
        out.printf(Locale.ROOT, "%d cells, %d already done (%d at a time, %d backend thread%s each)%n", plan.size(), pending.alreadyDone(),
                parallelism.running(), parallelism.threadsPerCell(), parallelism.threadsPerCell() == 1 ? "" : "s");
        out.flush();
        List<String> best = new ArrayList<>();
        StudyRunner.Outcome outcome = runner.run(pending, results, report(best));
        SummaryTable.print(out, plan, outcome.rows());
        printBest(out, best);
        out.println("results: " + results.csvFile() + ", " + results.jsonFile());
        out.println("report: " + engine.out.resolve("report.html"));
        if (outcome.failed() > 0) {
            err.println("edgeq study: " + outcome.failed() + " of " + plan.size() + " cells failed (see above); rerun the same command to retry them");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** How a study's progress is shown on stderr (study and run-cell). */
    static StudyListener progress(PrintWriter err, boolean quiet) {
        return StudyProgress.forStderr(err, quiet);
    }

    /** Where the cells' own lines (training epochs) go: above the bars on a terminal, nowhere when quiet. */
    static PrintWriter messages(StudyListener progress, PrintWriter err, boolean quiet) {
        return quiet ? new PrintWriter(PrintWriter.nullWriter()) : StudyProgress.messages(progress, err);
    }

    /** What writes the report at the end of a study or a merge. */
    static StudyRunner.ReportWriter report(List<String> bestVariants) {
        return (dir, rows) -> bestVariants.addAll(StudyReport.write(dir, rows).bestVariants());
    }

    /** The report's best variant per budget, after the summary table: the answer most readers came for. */
    static void printBest(PrintWriter out, List<String> best) {
        if (best.isEmpty()) return;
        out.println();
        for (String line : best) out.println(line);
    }

    /** {@code edgeq study plan}: the cells of the study, without running anything. */
    @Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the study's cells: index (0-based), cell id, label; with --json one JSON array of {index, id, label}.")
    static final class PlanCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StudySpecOptions studySpec;

        @Option(names = "--json", description = "Print a JSON array of {index, id, label} (for scripts: a job array's size is its length).")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            StudyPlan plan = StudyPlan.of(studySpec.spec());
            if (json) {
                StringBuilder b = new StringBuilder("[");
                for (StudyCell c : plan.cells()) {
                    if (c.index() > 0) b.append(',');
                    b.append(new JsonLine().put("index", c.index()).put("id", c.id()).put("label", c.label()));
                }
                out.println(b.append(']'));
            } else {
                for (StudyCell c : plan.cells()) out.printf(Locale.ROOT, "%4d  %s  %s%n", c.index(), c.id(), c.label());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code edgeq study run-cell}: one cell alone, into DIR/cells/&lt;cell_id&gt;.csv (one task of a job array). */
    @Command(name = "run-cell", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run cell N of the study alone and write its rows to DIR/cells/<cell_id>.csv (atomically); a cell "
                    + "whose file is there already is skipped. The base model is trained once into DIR/models/ and shared "
                    + "with the other tasks (a file lock makes concurrent tasks wait for the one that trains it).")
    static final class RunCellCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StudySpecOptions studySpec;

        @Mixin
        StudyEngineOptions engine;

        @Mixin
        EnergyCliOptions energy;

        @Option(names = "--index", paramLabel = "N", required = true, description = "The cell's index in 'edgeq study plan' (0-based).")
        int index;

        @Option(names = "--quiet", description = "No progress lines on stderr.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            StudyPlan plan = StudyPlan.of(studySpec.spec());
            StudyCell cell = plan.cell(index);
            engine.validate();
                int cores = Runtime.getRuntime().availableProcessors();
            StudyRunner.Parallelism one = new StudyRunner.Parallelism(1, cores, BackendSelection.isGpu(engine.backend));
            StudyResults results = new StudyResults(engine.out);
            StudyListener progress = progress(err, quiet);
            boolean ran = engine.runner(energy, one, progress, messages(progress, err, quiet)).runAlone(cell, results);
            out.println((ran ? "cell " : "cell already done: ") + cell.index() + " " + cell.id() + " " + cell.label() + " -> " + results.cellFile(cell.id()));
            return ExitCodes.OK;
        }
    }

    /** {@code edgeq study merge}: the cells' files gathered into results.csv, then results.json and the report. */
    @Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Append the rows of DIR/cells/*.csv to DIR/results.csv, each cell once, in plan order (cells "
                    + "already there are kept as they are), then rewrite DIR/results.json and the report. Exit 1 when a "
                    + "cell of the plan has no rows yet (they are listed).")
    static final class MergeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StudySpecOptions studySpec;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "study-out", description = "The study's folder (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            StudyPlan plan = StudyPlan.of(studySpec.spec());
            String why = UnwritableDirectory.check(out);
            if (why != null) throw new UsageException("--out " + out + ": " + why);
            StudyResults results = new StudyResults(out);
            StudyResults.Merged merged = results.merge(plan);
            List<ResultRow> rows = results.rows();
            results.writeJson(rows);
            List<String> best = new ArrayList<>();
            report(best).write(out, rows);
            stdout.printf(Locale.ROOT, "merged %d cells (%d were there already) into %s%n", merged.appended(), merged.alreadyThere(), results.csvFile());
            SummaryTable.print(stdout, plan, rows);
            printBest(stdout, best);
            if (!merged.missing().isEmpty()) {
                for (StudyCell c : merged.missing()) err.println("edgeq study merge: no rows yet for cell " + c.index() + " " + c.id() + " " + c.label());
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        }
    }
}
