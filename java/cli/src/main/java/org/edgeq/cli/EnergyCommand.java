package org.edgeq.cli;

import org.edgeq.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeq energy}: energy figures beyond one command's own (today: the same command on every backend). */
@Command(name = "energy", mixinStandardHelpOptions = true,
        description = {"Energy of EdgeQ's work across backends. Every training, evaluation and QAT command reports its own "
                + "energy (energy_j, energy_source, energy_j_per_sample, carbon_g in its --json line); 'energy compare' "
                + "runs one command on each backend and tabulates them.", ""},
        subcommands = {EnergyCommand.Compare.class})
final class EnergyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (compare)");
    }

    /** {@code edgeq energy compare -- <command>}: the command once per usable backend, then a table. */
    @Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run an edgeq command (train, eval or qat: those that report energy) once per backend, cpu and each "
                    + "CUDA device, each in its own child JVM with --backend and --json added, and print a table: backend, "
                    + "seconds, joules, J/sample, source (rapl, nvml or estimate). A backend that cannot run gets a row saying why.",
                    "",
                    "Child processes, not runs in this JVM: each backend starts as cold as a user's own run (no JIT or caches "
                            + "warmed by the previous backend), the CPU-time estimate counts that run's CPU time alone, a CUDA "
                            + "device is chosen by CUDA_VISIBLE_DEVICES, and a crash on one backend leaves the others' rows. Each "
                            + "child measures itself; JVM start-up is outside its figures.",
                    "",
                    "Energy options (--cpu-tdp-w, --grid-intensity, ...) belong to the command, after it.", ""},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeq energy compare -- train --dataset telescope",
                    "  edgeq energy compare --json -- eval --model runs/telescope --cpu-tdp-w 65 | tail -n 1"})
    static final class Compare implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the table as one JSON object on the last line of stdout.")
        boolean json;

        @Parameters(paramLabel = "COMMAND", arity = "1..*",
                description = "The edgeq command and its arguments, after --, without --backend (compare sets it).")
        List<String> command;

        /** How runs are made; tests put a fake here. */
        EnergyComparison.Runner runner;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            validate();
            List<EnergyComparison.Slot> slots = EnergyComparison.plan(Backends.providers());
            EnergyComparison.Outcome outcome = EnergyComparison.compare(slots, command, runner != null ? runner : new ChildProcessRunner(err));
            if (outcome.badUsage() != null) {
                err.println(spec.qualifiedName() + ": '" + String.join(" ", command) + "' was refused: " + outcome.badUsage());
                return outcome.exitCode();
            }
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (EnergyComparison.Row r : outcome.rows()) rows.add(r.asMap());
                stdout.println(new JsonLine().put("command", "energy compare").put("run", command).put("rows", rows));
            } else {
                for (String line : EnergyComparison.table(outcome.rows())) stdout.println(line);
            }
            return outcome.exitCode();
        }

        /** The command must be one of edgeq's that takes --backend, and compare sets --backend itself. */
        private void validate() {
            String name = command.getFirst();
            if (name.equals("energy")) throw new UsageException("energy compare cannot run energy itself; give a command such as: train --dataset telescope");
            CommandLine sub = spec.root().commandLine().getSubcommands().get(name);
            if (sub == null) throw new UsageException("'" + name + "' is not an edgeq command (try: train, eval, qat)");
            if (sub.getCommandSpec().findOption("--backend") == null) {
                throw new UsageException("'" + name + "' has no --backend, so there is nothing to compare (try: train, eval, qat)");
            }
            for (String a : command) {
                if (a.equals("--backend") || a.startsWith("--backend=")) {
                    throw new UsageException("leave --backend out of the command: compare runs it once per backend");
                }
            }
        }
    }
}
