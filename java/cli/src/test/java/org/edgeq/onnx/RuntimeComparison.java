package org.edgeq.onnx;

import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * An exported ONNX model run in ONNX Runtime (its Java API) on raw rows, next to EdgeQ's own forward of the loaded
 * model on the same rows standardised as in training (a regression prediction then taken back to the target's units
 * here, y * std + mean from model.json): the figures the export is judged by.
 *
 * @param maxAbsDiff    largest |EdgeQ - ONNX Runtime| over every output
 * @param maxRelDiff    largest |EdgeQ - ONNX Runtime| / max(1, |EdgeQ|)
 * @param argmaxAgree   fraction of rows whose arg-max output agrees
 * @param edgeqAccuracy accuracy of EdgeQ's outputs against the labels (NaN for regression)
 * @param ortAccuracy   accuracy of ONNX Runtime's outputs
 */
record RuntimeComparison(int rows, double maxAbsDiff, double maxRelDiff, double argmaxAgree, double edgeqAccuracy, double ortAccuracy) {

    /** Runs {@code onnx} on {@code raw}'s rows and {@code m}'s model on the same rows standardised. */
    static RuntimeComparison of(ExportableModel m, byte[] onnx, Dataset raw) throws Exception {
        TrainingMetadata training = m.description().training();
        float[][] edgeq = edgeq(m, training.preprocessing().apply(raw));
        TrainingMetadata.TargetScale target = training.targetScale();
        if (target != null) {
            for (float[] row : edgeq) for (int j = 0; j < row.length; j++) row[j] = row[j] * (float) target.std() + (float) target.mean();
        }
        return of(edgeq, run(onnx, raw), raw);
    }

    /** EdgeQ's outputs {@code edgeq} next to ONNX Runtime's {@code ort}, row for row of {@code raw}. */
    static RuntimeComparison of(float[][] edgeq, float[][] ort, Dataset raw) {
        double maxAbs = 0, maxRel = 0;
        int agree = 0, edgeqRight = 0, ortRight = 0;
        for (int r = 0; r < raw.size(); r++) {
            for (int j = 0; j < edgeq[r].length; j++) {
                double d = Math.abs(edgeq[r][j] - ort[r][j]);
                maxAbs = Math.max(maxAbs, d);
                maxRel = Math.max(maxRel, d / Math.max(1, Math.abs(edgeq[r][j])));
            }
            int a = argmax(edgeq[r]);
            int b = argmax(ort[r]);
            if (a == b) agree++;
            if (raw.labels() != null) {
                if (a == raw.labels()[r]) edgeqRight++;
                if (b == raw.labels()[r]) ortRight++;
            }
        }
        int n = raw.size();
        boolean labelled = raw.labels() != null;
        return new RuntimeComparison(n, maxAbs, maxRel, agree / (double) n, labelled ? edgeqRight / (double) n : Double.NaN,
                labelled ? ortRight / (double) n : Double.NaN);
    }

    static float[][] edgeq(ExportableModel m, Dataset rows) {
        Model model = m.model();
        int outs = Math.toIntExact(model.outputShape().numel());
        float[][] out = new float[rows.size()][outs];
        int f = rows.featureCount();
        int batch = 128;
        try (QatHook inputs = m.activations().isEmpty() ? null : ActivationRanges.restore(model, m.activations());
             TensorScope scope = new TensorScope()) {
            for (int start = 0; start < rows.size(); start += batch) {
                int count = Math.min(batch, rows.size() - start);
                float[] x = new float[count * f];
                rows.copyRows(start, count, x, 0);
                int[] dims = new int[rows.featureShape().length + 1];
                dims[0] = count;
                System.arraycopy(rows.featureShape(), 0, dims, 1, rows.featureShape().length);
                float[] y = model.forward(Tensor.of(scope, x, dims), false).toFloatArray();
                for (int r = 0; r < count; r++) System.arraycopy(y, r * outs, out[start + r], 0, outs);
            }
        }
        return out;
    }

    /** ONNX Runtime's outputs for every row of {@code raw}, in one batch. */
    static float[][] run(byte[] onnx, Dataset raw) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx, options)) {
            long[] shape = new long[raw.featureShape().length + 1];
            shape[0] = raw.size();
            for (int i = 0; i < raw.featureShape().length; i++) shape[i + 1] = raw.featureShape()[i];
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw.copyFeatures()), shape);
                 OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
                return (float[][]) result.get(OnnxExporter.OUTPUT).orElseThrow().getValue();
            }
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** One row of the printed table. */
    String row(String name) {
        return String.format(Locale.ROOT, "%-28s %6d  %10.3e  %10.3e  %8.4f%%  %8.4f  %8.4f", name, rows, maxAbsDiff, maxRelDiff,
                100 * argmaxAgree, edgeqAccuracy, ortAccuracy);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-28s %6s  %10s  %10s  %9s  %8s  %8s", "model", "rows", "max|diff|", "max rel", "argmax=",
                "acc EdgeQ", "acc ORT");
    }
}
