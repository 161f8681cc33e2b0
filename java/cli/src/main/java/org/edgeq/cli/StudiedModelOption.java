package org.edgeq.cli;

import org.edgeq.study.ModelUnderStudy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The --model option of the compression commands that start from one trained model directory or export. */
final class StudiedModelOption {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory written by 'edgeq train --out DIR', "
            + "or one row's export folder written by a compression command's --out (its weights as exported). The "
            + "parameters a pruned export was pruned in stay pruned: their zeros are held through fine-tuning, "
            + "quantization (removed weights are zeroed again after it) and further pruning.")
    Path dir;

    /** Opens the directory for the study, refusing (exit 2) one that is missing, untrained or without its split. */
    ModelUnderStudy open(CommonOptions common) throws IOException {
        return ModelUnderStudy.open("--model", dir, common.dataDir);
    }
}
