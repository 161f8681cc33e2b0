package org.edgeq.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What the commands that measure compressed variants of a trained model share (quantize, prune, qat, distill): the
 * common options, checked before the command's own work.
 */
abstract class CompressionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws IOException {
        common.validate();
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The command's own work, its rows printed on {@code stdout} and its progress on {@code err}. */
    abstract Integer run(PrintWriter stdout, PrintWriter err) throws IOException;
}
