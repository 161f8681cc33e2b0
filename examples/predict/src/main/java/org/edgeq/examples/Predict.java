package org.edgeq.examples;

import org.edgeq.api.EdgeQ;
import org.edgeq.api.EdgeQModel;
import org.edgeq.api.Quantize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * EdgeQ used as a library: loads a trained model, predicts the classes of raw CSV rows (the model applies its own
 * saved standardisation), quantizes its weights to 4 bits and predicts again with the smaller model; then runs a
 * small compression study ({@link SmallStudy}) beside the model folder. Arguments: the model folder ('edgeq train
 * --out DIR') and the CSV file (features, then the class column last).
 */
public final class Predict {
    private Predict() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Predict MODEL_DIR DATA_CSV");
            System.exit(2);
        }
        Path modelDir = Path.of(args[0]);
        List<String[]> cells = Files.readAllLines(Path.of(args[1])).stream().skip(1).map(l -> l.split(",")).toList();
        float[][] rows = new float[cells.size()][];
        String[] labels = new String[cells.size()];
        for (int i = 0; i < rows.length; i++) {
            String[] c = cells.get(i);
            rows[i] = new float[c.length - 1];
            for (int j = 0; j < c.length - 1; j++) rows[i][j] = Float.parseFloat(c[j]);
            labels[i] = c[c.length - 1];
        }

        double fp32;
        try (EdgeQModel model = EdgeQ.load(modelDir)) {
            fp32 = accuracy(model, rows, labels);
            System.out.printf(Locale.ROOT, "fp32 model on %s: accuracy %.3f over %d rows%n", model.backendName(), fp32, rows.length);
        }
        Quantize.Result q = Quantize.with("affine", 4).perChannel(true).apply(modelDir, modelDir.resolveSibling("quantized"));
        double int4;
        try (EdgeQModel small = EdgeQ.load(q.modelDir())) {
            int4 = accuracy(small, rows, labels);
            System.out.printf(Locale.ROOT, "4-bit model (%d bytes): accuracy %.3f over %d rows%n", q.sizeBytes(), int4, rows.length);
        }
        System.out.println(SmallStudy.run(modelDir.resolveSibling("study")));
        System.out.printf(Locale.ROOT, "example: OK (fp32 %.3f, 4-bit %.3f)%n", fp32, int4);
    }

    private static double accuracy(EdgeQModel model, float[][] rows, String[] labels) {
        int[] predicted = model.predictClasses(rows);
        int correct = 0;
        for (int i = 0; i < rows.length; i++) if (model.classNames().get(predicted[i]).equals(labels[i])) correct++;
        return (double) correct / rows.length;
    }
}
