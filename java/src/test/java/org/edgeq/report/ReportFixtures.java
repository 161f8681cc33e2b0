package org.edgeq.report;

import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small hand-written results file whose best variants can be checked by hand. Written through
 * {@link ResultsCsv#append}, so it always has the current schema-v2 header.
 *
 * <pre>
 * toy / dense-simple / seed 1 (classification)                     acc    size  energy  latency
 *  0 fp32                                                          0.900  1000  10.0    1.00 ms
 *  1 rounding uniform 8                                            0.897   400   4.0    0.90
 *  2 rounding uniform 4                                            0.885   250   2.5    0.80
 *  3 rounding uniform 2                                            0.700   150   1.5    0.85
 *  4 stochastic uniform 8                                          0.893   380   3.9    0.95
 *  5 stochastic uniform 4                                          0.882   240   2.4    0.70
 *  6 fp32 (a second command's baseline, appended to the same file) 0.900  1000  10.0    1.10
 *  7 prune-oneshot seed 0.5, sparsity 0.5                          0.899   600   9.0    0.65
 *  8 prune-oneshot seed 0.9, sparsity 0.9                          0.879   200   8.0    0.60
 * toyreg / dense-simple / seed 1 (regression)                      R2
 *  9 fp32                                                          0.800  1000   1.0    0.10
 * 10 rounding uniform 8                                            0.795   400   0.4    0.10
 * 11 rounding uniform 4                                            0.700   250   0.3    0.10
 * </pre>
 *
 * Best variants of toy: smallest within 1 point (acc >= 0.890) is stochastic 8-bit (380 B); lowest energy within
 * 2 points (>= 0.880) is stochastic 4-bit (2.4 µJ); fastest within 1 point is the 50% pruned model (0.65 ms,
 * against its own baseline, row 6, at 1.10 ms); most compressed within 0.5 points (>= 0.895) is rounding 8-bit
 * (8 bits per weight, 4x; the 50% pruned model stores 16). Smallest of toyreg within 0.01 of R2: rounding 8-bit.
 */
final class ReportFixtures {
    private ReportFixtures() {
    }

    static List<ResultRow> toyRows() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(classifier("fp32", null, 32, null, 0, 0.900, 1000, 10.0, 1.00));
        rows.add(classifier("rounding", "uniform", 8, null, 0, 0.897, 400, 4.0, 0.90));
        rows.add(classifier("rounding", "uniform", 4, null, 0, 0.885, 250, 2.5, 0.80));
        rows.add(classifier("rounding", "uniform", 2, null, 0, 0.700, 150, 1.5, 0.85));
        rows.add(classifier("stochastic", "uniform", 8, null, 0, 0.893, 380, 3.9, 0.95));
        rows.add(classifier("stochastic", "uniform", 4, null, 0, 0.882, 240, 2.4, 0.70));
        rows.add(classifier("fp32", null, 32, null, 0, 0.900, 1000, 10.0, 1.10));
        rows.add(classifier("prune-oneshot", null, 32, 0.5, 0.5, 0.899, 600, 9.0, 0.65));
        rows.add(classifier("prune-oneshot", null, 32, 0.9, 0.9, 0.879, 200, 8.0, 0.60));
        rows.add(regressor("fp32", null, 32, 0.800, 100, 1000, 1.0));
        rows.add(regressor("rounding", "uniform", 8, 0.795, 102, 400, 0.4));
        rows.add(regressor("rounding", "uniform", 4, 0.700, 150, 250, 0.3));
        return rows;
    }

    /** Writes {@link #toyRows()} to {@code file} as a schema-v2 results CSV. */
    static Path writeToy(Path file) throws IOException {
        ResultsCsv csv = ResultsCsv.open(file);
        for (ResultRow r : toyRows()) csv.append(r);
        return file;
    }

    /** The seed-format fixtures in src/test/resources/seed-results/ (quantization.csv, pruning.csv). */
    static Path seedFixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ReportFixtures.class.getResource("/seed-results/" + name), name).toURI());
    }

    private static ResultRow classifier(String method, String set, int bits, Double ratio, double sparsity, double acc,
                                        long size, double energyUj, double latencyMs) {
        ResultRow.Builder b = ResultRow.builder().dataset("toy").model("dense-simple").seed(1L).method(method).set(set)
                .wBits(bits).sparsity(sparsity).trainAcc(acc).testAcc(acc).testLoss(1 - acc).sizeBytes(size)
                .estEnergyUjPerInference(energyUj).latencyMsP50(latencyMs).energy(0.5, "estimate").edgeqVersion("0.1.0-test");
        if (!method.equals("fp32")) b.granularity("per-tensor");
        if (ratio != null) b.pruneScope("seed").pruneRatio(ratio);
        return b.build();
    }

    private static ResultRow regressor(String method, String set, int bits, double r2, double mse, long size, double energyUj) {
        return ResultRow.builder().dataset("toyreg").model("dense-simple").seed(1L).method(method).set(set).wBits(bits)
                .sparsity(0).testR2(r2).testMse(mse).testLoss(mse / 100).sizeBytes(size).estEnergyUjPerInference(energyUj)
                .latencyMsP50(0.10).energy(0.5, "estimate").edgeqVersion("0.1.0-test").build();
    }
}
