package org.edgeq.cli;

import org.edgeq.study.ModelChoice;
import org.edgeq.study.PresetChoice;
import org.edgeq.data.NearestName;
import org.edgeq.data.Quote;
import org.edgeq.hwsim.IntegerModel;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.PruneSchedule;
import org.edgeq.study.PruneScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code edgeq} command line: parses the command with picocli, runs it, and turns every kind of
 * failure into one line on stderr and a documented exit code ({@link ExitCodes}).
 */
@Command(name = "edgeq",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "EdgeQ: train, evaluate, inspect and compress (quantize, prune, quantization-aware training, distillation) "
                        + "neural networks for energy-efficient deep learning, on a pure-Java CPU backend (Vector API, multi-threaded).", "",
                "The reference study in these help texts is the study whose models, data preparation and quantization EdgeQ "
                        + "reproduces; the names that select its settings keep its nickname 'seed' (--preset seed, --scope seed, "
                        + "cnn-seed), while --seed is the random seed.", ""},
        subcommands = {TrainCommand.class, EvalCommand.class, InfoCommand.class, DoctorCommand.class, QuantizeCommand.class,
                PruneCommand.class, QatCommand.class, DistillCommand.class, EnergyCommand.class, HwsimCommand.class, StudyCommand.class, ReportCommand.class, ImportCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeq train                                   train on the built-in synthetic dataset",
                "  edgeq train --dataset telescope --out runs/t  train the reference study's dense model, keep it in runs/t",
                "  edgeq eval --model runs/t                     evaluate it again on its own test split",
                "  edgeq quantize --model runs/t --method all --bits 8,4   every PTQ method at 8 and 4 bits, rows to results.csv",
                "  edgeq prune --model runs/t --ratio 0.9 --schedule gradual --epochs 10",
                "  edgeq energy compare -- train --dataset telescope   the same training on each backend: seconds, joules, J/sample",
                "  edgeq study --dataset telescope --bits 8,4    a resumable sweep of variants, results and report in study-out/",
                "  edgeq doctor                                  what this machine offers (SIMD, threads, CUDA)",
                "  edgeq hwsim --model runs/t --bits 8,4,2       integer-only inference, overflow counts, energy model",
                "  edgeq report results.csv --out report         HTML report, Markdown summary and plots of results files",
                "  edgeq import --weights m.safetensors --arch dense-simple --dataset telescope --out runs/p   a PyTorch model",
                "  edgeq export --model runs/t --format onnx --out t.onnx   for ONNX Runtime and other tools (also safetensors)",
                "",
                "Exit codes: 0 success, 1 failure while running (e.g. training diverged), 2 bad usage or bad input."})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    private Main() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (one of: train, eval, info, doctor, quantize, prune, qat, distill, energy, hwsim, study, report, import)");
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        // A worker thread's Error (e.g. OutOfMemoryError in a parallel study cell) is one line too, never a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            err.println("edgeq: " + errorLine(e));
            if (System.getenv("EDGEQ_DEBUG") != null) e.printStackTrace(err);
            err.flush();
        });
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns its exit code; what tests and main call. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(commandLine(), args, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} on a given command tree (tests add commands to it). */
    static int run(CommandLine cli, String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands Exceptions to Failures but lets Errors through: they end here as one line, exit 1.
            errWriter.println("edgeq" + (args.length > 0 && !args[0].startsWith("-") ? " " + Quote.cut(args[0]) : "") + ": " + errorLine(e));
            if (System.getenv("EDGEQ_DEBUG") != null) e.printStackTrace(errWriter);
            return ExitCodes.FAILURE;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        FiniteNumbers.register(cli); // NaN, inf refused at parse (issue 11)
        // Every choice option is an enum read by its command-line name (and refused with the nearest one).
        cli.registerConverter(ModelChoice.class, new EnumByName<>(ModelChoice.class));
        cli.registerConverter(PresetChoice.class, new EnumByName<>(PresetChoice.class));
        cli.registerConverter(BackendChoice.class, new EnumByName<>(BackendChoice.class));
        cli.registerConverter(TrainCommand.ScheduleChoice.class, new EnumByName<>(TrainCommand.ScheduleChoice.class));
        cli.registerConverter(TrainCommand.OptimizerChoice.class, new EnumByName<>(TrainCommand.OptimizerChoice.class));
        cli.registerConverter(ImportCommand.Scaling.class, new EnumByName<>(ImportCommand.Scaling.class));
        cli.registerConverter(PruneScope.class, new EnumByName<>(PruneScope.class));
        cli.registerConverter(PruneSchedule.class, new EnumByName<>(PruneSchedule.class));
        cli.registerConverter(IntegerModel.Rounding.class, new EnumByName<>(IntegerModel.Rounding.class));
        // The quantization choices also take the reference study's spellings (regular_rounding, uniform_range_IQR).
        cli.registerConverter(QuantMethod.class, new EnumByName<>(QuantMethod.class, QuantMethod::fromCliName));
        cli.registerConverter(MethodChoice.class, new MethodChoice.ByName());
        cli.registerConverter(LandmarkSetKind.class, new EnumByName<>(LandmarkSetKind.class, LandmarkSetKind::fromCliName));
        // "ema" is the usual short name of the moving average.
        cli.registerConverter(ObserverKind.class, new EnumByName<>(ObserverKind.class,
                name -> name.equals("ema") ? ObserverKind.MOVING_AVERAGE : ObserverKind.fromCliName(name)));
        // Everything after the compared command's name is that command's (with or without "--" before it).
        cli.getSubcommands().get("energy").getSubcommands().get("compare").setStopAtPositional(true);
        cli.setUsageHelpWidth(100);
        cli.setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    /** Bad usage: one line saying what is wrong, then the hint, exit 2 (picocli's default would print the whole usage). */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(usageMessage(e)));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    /**
     * What was wrong, as picocli says it, except that a value one of EdgeQ's converters refused reads after its
     * option's name ("--epochs 0 is outside 1..100000"), and a mistyped option or command gets the nearest of the
     * names picocli suggests, as a mistyped value gets the nearest name.
     */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e.getCause() instanceof OptionValueRefused refused && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + " " + refused.getMessage();
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return e.getMessage() + NearestName.hint(unmatched.getUnmatched().getFirst(), unmatched.getSuggestions());
        }
        return e.getMessage();
    }

    /** One line for an {@link Error} (or anything uncaught): what ran out, and what to try. */
    static String errorLine(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + oneLine(e.getMessage()) + "); try a smaller --batch-size or dataset, or more heap: "
                    + "EDGEQ_JAVA_OPTS=-Xmx8g (EDGEQ_DEBUG=1 shows the stack trace)";
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow (input nested too deeply?); EDGEQ_DEBUG=1 shows the stack trace";
        }
        return "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()))
                + " (EDGEQ_DEBUG=1 shows the stack trace)";
    }

    static String oneLine(String message) {
        if (message == null) return "unknown error";
        String line = Quote.cutQuoted(message.replace('\n', ' ').replace('\r', ' ').strip());
        // Last resort for a message that echoes input without quoting it: still one readable line.
        return line.length() <= 1000 ? line : line.substring(0, 997) + "... (" + line.length() + " characters)";
    }
}
