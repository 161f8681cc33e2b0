package org.edgeq.examples;

import org.edgeq.api.Study;
import org.edgeq.api.StudyOutcome;
import org.edgeq.study.ResultRow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A two-cell compression study through the library, as 'edgeq study' runs it: a dense model trained briefly on
 * 1,000 of EdgeQ's generated blobs, measured in FP32 and quantized mid-rise to 4 bits; every other family of the
 * default study is switched off, and latency is timed briefly, so that it takes seconds.
 */
final class SmallStudy {
    private SmallStudy() {
    }

    /** Runs the study into {@code out} (resuming what is there) and returns one line saying how it went. */
    static String run(Path out) throws IOException {
        StudyOutcome done = Study.defaults()
                .set("dataset", "synthetic-blobs").set("limit", "1000").set("epochs", "5").set("lr", "0.01")
                .set("methods", "mid-rise").set("sets", "uniform").set("bits", "4")
                .set("qat-bits", "none").set("prune-ratios", "none")
                .out(out).latency(0.1, 10)
                .run();
        // Cells run in parallel and their rows are on file in the order they finished: the baseline is put first.
        String accuracies = done.rows().stream()
                .sorted(Comparator.comparing((ResultRow r) -> !r.recipe().method().equals(ResultRow.FP32)))
                .map(SmallStudy::accuracy).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "study: %d cells, %d run now, %d failed; test accuracy %s", done.cells(),
                done.finished(), done.failed(), accuracies);
    }

    private static String accuracy(ResultRow r) {
        ResultRow.Recipe k = r.recipe();
        String name = k.method() + (k.wBits() == null || k.wBits() == 32 ? "" : " " + k.wBits() + "-bit");
        return String.format(Locale.ROOT, "%s %.3f", name, r.quality().testAcc());
    }
}
