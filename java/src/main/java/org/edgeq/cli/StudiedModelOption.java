package org.edgeq.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The --model option of the compression commands that start from one trained model directory. */
final class StudiedModelOption {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory written by 'edgeq train --out DIR'.")
    Path dir;

    /** Opens the directory for the study, refusing (exit 2) one that is missing, untrained or without its split. */
    ModelUnderStudy open(CommonOptions common) throws IOException {
        return ModelUnderStudy.open("--model", dir, common);
    }
}
