package org.edgeq.hwsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.metrics.Metrics;
import org.edgeq.nn.Model;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Runs a dataset through the fake-quant model (float arithmetic on quantized values, EdgeQ's existing path) and
 * through its {@link IntegerModel}, and compares them: accuracy (or MSE) of each, how often their predictions
 * agree, the largest output difference, and the saturation counts of every layer.
 */
public final class Simulation {
    private Simulation() {
    }

    /** Outputs of every sample, [samples, outputs], and the quality measured on them. */
    public record Outputs(float[] values, int samples, int outputs, double quality) {
    }

    /**
     * One integer run.
     *
     * @param accumulatorSaturations per layer, over all samples
     * @param outputStageSaturations per layer, over all samples
     * @param seconds                wall time of the integer inference (quantizing the input included)
     */
    public record IntegerRun(int accBits, Outputs outputs, long[] accumulatorSaturations, long[] outputStageSaturations,
                             double seconds) {
        /** Saturations of both kinds, all layers. */
        public long totalSaturations() {
            long t = 0;
            for (int i = 0; i < accumulatorSaturations.length; i++) t += accumulatorSaturations[i] + outputStageSaturations[i];
            return t;
        }
    }

    /** How an integer run compares with the fake-quant outputs. */
    public record Agreement(double predictionAgreement, double maxAbsOutputDifference, int samples) {
    }

    /**
     * The model's own outputs (with whatever fake quantizers are attached) on every sample of {@code data}, in
     * evaluation mode, batch by batch.
     */
    public static Outputs modelOutputs(Model model, Dataset data, int batchSize) {
        int f = data.featureCount(), k = Math.toIntExact(model.outputShape().numel());
        if (f != model.inputShape().numel()) {
            throw new IllegalArgumentException(data.name() + " has " + f + " features, model expects " + model.inputShape());
        }
        float[] out = new float[Math.multiplyExact(data.size(), k)];
        try (TensorScope scope = new TensorScope()) {
            Tensor full = model.backend().allocate(scope, DType.F32, batchSize, f);
            float[] stage = new float[batchSize * f];
            float[] got = new float[batchSize * k];
            for (int start = 0; start < data.size(); start += batchSize) {
                int n = Math.min(batchSize, data.size() - start);
                Tensor x = n == batchSize ? full : full.firstRows(n);
                data.copyRows(start, n, stage, 0);
                model.backend().upload(n == batchSize ? stage : Arrays.copyOf(stage, n * f), x);
                Tensor y = model.forward(x, false);
                float[] dst = n == batchSize ? got : new float[n * k];
                model.backend().download(y, dst);
                System.arraycopy(dst, 0, out, start * k, n * k);
            }
        }
        return new Outputs(out, data.size(), k, quality(out, data, k));
    }

    /**
     * Integer inference over every sample of {@code data} at {@code accBits}, split into batches of {@code batchSize}
     * run on {@code threads} threads (each with its own workspace; results do not depend on the split).
     */
    public static IntegerRun runInteger(IntegerModel model, Dataset data, IntGemm gemm, int accBits, int batchSize, int threads) {
        if (data.featureCount() != model.inputFeatures()) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features, the integer model expects " + model.inputFeatures());
        }
        if (batchSize < 1 || threads < 1) throw new IllegalArgumentException("batchSize and threads must be >= 1");
        int k = model.outputs();
        int layers = model.layerPaths().size();
        float[] out = new float[Math.multiplyExact(data.size(), k)];
        long[] accSat = new long[layers];
        long[] outSat = new long[layers];
        int batches = Math.ceilDiv(data.size(), batchSize);
        long start = System.nanoTime();
        int workers = Math.min(threads, Math.max(1, batches));
        List<long[][]> partial = new ArrayList<>();
        if (workers == 1) {
            partial.add(runBatches(model, data, gemm, accBits, batchSize, 0, 1, out));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "edgeq-hwsim");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<long[][]>> fs = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int id = w;
                    fs.add(pool.submit(() -> runBatches(model, data, gemm, accBits, batchSize, id, workers, out)));
                }
                for (Future<long[][]> f : fs) partial.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        for (long[][] p : partial) {
            for (int l = 0; l < layers; l++) {
                accSat[l] += p[0][l];
                outSat[l] += p[1][l];
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new IntegerRun(accBits, new Outputs(out, data.size(), k, quality(out, data, k)), accSat, outSat, seconds);
    }

    /** Batches id, id + stride, ... of the data, outputs written in place; returns {accumulator, output-stage} counts. */
    private static long[][] runBatches(IntegerModel model, Dataset data, IntGemm gemm, int accBits, int batchSize, int id,
                                       int stride, float[] out) {
        int layers = model.layerPaths().size();
        long[][] counts = new long[2][layers];
        IntegerModel.Workspace ws = new IntegerModel.Workspace();
        int k = model.outputs();
        int f = data.featureCount();
        float[] stage = new float[0];
        for (int b = id; (long) b * batchSize < data.size(); b += stride) {
            int first = b * batchSize;
            int n = Math.min(batchSize, data.size() - first);
            // A row view (a split) is staged batch by batch; a plain set is read in place.
            IntegerModel.Result r;
            if (data.rowIndex() == null) {
                r = model.run(data.features(), first, n, gemm, accBits, ws);
            } else {
                if (stage.length < n * f) stage = new float[n * f];
                data.copyRows(first, n, stage, 0);
                r = model.run(stage, 0, n, gemm, accBits, ws);
            }
            System.arraycopy(r.logits(), 0, out, first * k, n * k);
            for (int l = 0; l < layers; l++) {
                counts[0][l] += r.accumulatorSaturations()[l];
                counts[1][l] += r.outputStageSaturations()[l];
            }
        }
        return counts;
    }

    /** How often the two agree on the predicted class (regression: NaN) and their largest output difference. */
    public static Agreement compare(Outputs a, Outputs b, Task task) {
        if (a.samples() != b.samples() || a.outputs() != b.outputs()) {
            throw new IllegalArgumentException("outputs of different shapes: " + a.samples() + "x" + a.outputs() + " and " + b.samples() + "x" + b.outputs());
        }
        int k = a.outputs();
        int same = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.samples(); i++) {
            if (task == Task.CLASSIFICATION && argmax(a.values(), i * k, k) == argmax(b.values(), i * k, k)) same++;
            for (int j = 0; j < k; j++) maxDiff = Math.max(maxDiff, Math.abs((double) a.values()[i * k + j] - b.values()[i * k + j]));
        }
        double agreement = task == Task.CLASSIFICATION && a.samples() > 0 ? (double) same / a.samples() : Double.NaN;
        return new Agreement(agreement, maxDiff, a.samples());
    }

    /** Accuracy for classification, mean squared error (in the model's training units) for regression. */
    static double quality(float[] out, Dataset data, int k) {
        if (data.size() == 0) return Double.NaN;
        if (data.task() == Task.CLASSIFICATION) {
            int correct = 0;
            for (int i = 0; i < data.size(); i++) if (argmax(out, i * k, k) == data.labels()[i]) correct++;
            return (double) correct / data.size();
        }
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            double d = out[i * k] - data.targets()[i];
            sum += d * d;
        }
        return sum / data.size();
    }

    static int argmax(float[] v, int offset, int k) {
        return Metrics.argmax(v, offset, k);
    }
}
