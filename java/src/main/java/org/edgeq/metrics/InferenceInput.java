package org.edgeq.metrics;

import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.Random;

/**
 * An input batch for timing a model: the first samples of a dataset (repeated if it has fewer), or, without one,
 * seeded standard-normal values (EdgeQ's kernels take the same time whatever the values, so latency does not depend
 * on them).
 */
final class InferenceInput {
    private InferenceInput() {
    }

    /** A [batch, input...] tensor on the model's backend, owned by {@code scope}. */
    static Tensor of(Model model, TensorScope scope, Dataset data, int batch, long seed) {
        Shape sample = model.inputShape();
        int f = Math.toIntExact(sample.numel());
        float[] values = new float[Math.multiplyExact(batch, f)];
        if (data != null && data.size() > 0) {
            if (data.featureCount() != f) {
                throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features per sample, model expects " + sample);
            }
            for (int i = 0; i < batch; i++) data.copyRow(i % data.size(), values, i * f);
        } else {
            Random random = new Random(seed);
            for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        }
        int[] dims = new int[sample.rank() + 1];
        dims[0] = batch;
        System.arraycopy(sample.dims(), 0, dims, 1, sample.rank());
        Tensor x = model.backend().allocate(scope, DType.F32, Shape.of(dims));
        model.backend().upload(values, x);
        return x;
    }
}
