package org.edgeq.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code edgeq train}: placeholder until wired. */
@Command(name = "train", mixinStandardHelpOptions = true)
final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("train is not wired yet");
    }
}
