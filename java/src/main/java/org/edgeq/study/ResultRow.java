package org.edgeq.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One finished measurement of a compressed model: the seed study's columns (model, quant_method, bin_method,
 * precision, train_loss, train_acc, test_loss, test_acc) plus sparsity, size on disk, latency and energy with the
 * source of the energy figure. Figures that do not apply (accuracy of a regression model, an energy nobody
 * measured) are NaN or null and become empty cells.
 *
 * @param model        the architecture's command-line name, e.g. dense-simple
 * @param quantMethod  none (FP32), a PTQ method, qat-..., prune, distill, ...
 * @param binMethod    the landmark set or integer format, empty where the method has none
 * @param precision    weight bits as text: "32", "4", or "w4a8" when activations are quantized too
 * @param sparsity     fraction of weight-layer weights that are exactly zero
 * @param sizeBytes    size of the model file on disk
 * @param latencyMs    measured mean inference time per batch of the test split, in milliseconds
 * @param energyJ      energy in joules, NaN when not measured
 * @param energySource where the energy figure came from ("none" when not measured)
 */
public record ResultRow(String model, String quantMethod, String binMethod, String precision, double trainLoss,
                        double trainAcc, double testLoss, double testAcc, double sparsity, long sizeBytes,
                        double latencyMs, double energyJ, String energySource) {

    public static final List<String> COLUMNS = List.of("model", "quant_method", "bin_method", "precision", "train_loss",
            "train_acc", "test_loss", "test_acc", "sparsity", "size_bytes", "latency_ms", "energy_j", "energy_source");

    /** The cells in {@link #COLUMNS} order, as text. */
    public List<String> cells() {
        List<String> c = new ArrayList<>(COLUMNS.size());
        c.add(model);
        c.add(quantMethod);
        c.add(binMethod == null ? "" : binMethod);
        c.add(precision);
        c.add(number(trainLoss));
        c.add(number(trainAcc));
        c.add(number(testLoss));
        c.add(number(testAcc));
        c.add(number(sparsity));
        c.add(Long.toString(sizeBytes));
        c.add(number(latencyMs));
        c.add(number(energyJ));
        c.add(energySource == null ? "none" : energySource);
        return c;
    }

    /** The row as JSON-ready values keyed by column, NaN as null. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("quant_method", quantMethod);
        m.put("bin_method", binMethod == null ? "" : binMethod);
        m.put("precision", precision);
        m.put("train_loss", finite(trainLoss));
        m.put("train_acc", finite(trainAcc));
        m.put("test_loss", finite(testLoss));
        m.put("test_acc", finite(testAcc));
        m.put("sparsity", finite(sparsity));
        m.put("size_bytes", sizeBytes);
        m.put("latency_ms", finite(latencyMs));
        m.put("energy_j", finite(energyJ));
        m.put("energy_source", energySource == null ? "none" : energySource);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) return "";
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
