package org.edgeq.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code edgeq eval}: placeholder until wired. */
@Command(name = "eval", mixinStandardHelpOptions = true)
final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("eval is not wired yet");
    }
}
