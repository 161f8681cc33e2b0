package org.edgeq.cli;

import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.study.BadInputException;
import org.edgeq.study.BadUsageException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Turns an exception escaping a command into one line on stderr and an exit code: bad usage and bad input (data
 * files, checkpoints, missing files) exit 2, anything else exits 1. Set EDGEQ_DEBUG=1 to also get the stack trace.
 */
final class Failures implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String who = cmd.getCommandSpec().qualifiedName();
        int code = classify(e);
        if (e instanceof BadUsageException || e instanceof IllegalArgumentException) {
            err.println(who + ": " + Main.oneLine(e.getMessage()));
            err.println("Try '" + who + " --help' for more information.");
        } else if (e instanceof CheckpointFormatException) {
            err.println(who + ": refusing checkpoint " + Main.oneLine(e.getMessage()));
        } else if (e instanceof NoSuchFileException nsf) {
            err.println(who + ": " + nsf.getFile() + ": " + Main.oneLine(nsf.getReason() == null ? "no such file" : nsf.getReason()));
        } else if (e instanceof FileSystemException fse) {
            // Their getMessage() is often just the path; say what went wrong with it.
            err.println(who + ": " + fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason()
                    : e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)));
        } else if (code == ExitCodes.USAGE) {
            err.println(Main.oneLine(e.getMessage())); // data files: the message is already "file:line: reason"
        } else {
            err.println(who + ": " + Main.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        if (System.getenv("EDGEQ_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return code;
    }

    static int classify(Exception e) {
        if (e instanceof BadUsageException || e instanceof IllegalArgumentException
                || e instanceof CheckpointFormatException || e instanceof NoSuchFileException
                || e instanceof BadInputException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }
}
