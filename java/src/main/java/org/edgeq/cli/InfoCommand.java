package org.edgeq.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code edgeq info}: placeholder until wired. */
@Command(name = "info", mixinStandardHelpOptions = true)
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("info is not wired yet");
    }
}
