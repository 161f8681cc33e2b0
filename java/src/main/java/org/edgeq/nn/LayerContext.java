package org.edgeq.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * What layers need while a model is built: the backend, the scope that owns parameters and fixed-size state,
 * the buffers that grow with the batch, and one seeded generator drawn in module order so that a seed fixes the
 * initial weights.
 */
public final class LayerContext implements AutoCloseable {
    private final Backend backend;
    private final TensorScope scope = new TensorScope();
    private final List<AutoCloseable> buffers = new ArrayList<>();
    private final RandomGenerator random;
    private final long seed;
    private int dropoutLayers;

    public LayerContext(Backend backend, long seed) {
        this.backend = backend;
        this.seed = seed;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    public Backend backend() {
        return backend;
    }

    public RandomGenerator random() {
        return random;
    }

    /** A distinct dropout seed per dropout layer, derived from the model seed. */
    long nextDropoutSeed() {
        dropoutLayers++;
        return seed * 0x9E3779B97F4A7C15L + dropoutLayers * 0xBF58476D1CE4E5B9L;
    }

    /** A zeroed tensor of fixed size (parameters, running statistics) living as long as the model. */
    public Tensor allocate(DType dtype, int... dims) {
        return backend.allocate(scope, dtype, Shape.of(dims));
    }

    /** A tensor holding {@code values}. */
    public Tensor upload(float[] values, int... dims) {
        Tensor t = allocate(DType.F32, dims);
        backend.upload(values, t);
        return t;
    }

    /** A per-batch buffer of {@code sample}-shaped rows. */
    public BatchBuffer batchBuffer(DType dtype, Shape sample) {
        BatchBuffer b = new BatchBuffer(backend, dtype, sample);
        buffers.add(b);
        return b;
    }

    public BatchBuffer batchBuffer(Shape sample) {
        return batchBuffer(DType.F32, sample);
    }

    public FlatBuffer flatBuffer() {
        FlatBuffer b = new FlatBuffer(backend);
        buffers.add(b);
        return b;
    }

    /** Uniform values in [-bound, bound), PyTorch's default initialisation family. */
    public float[] uniform(int count, double bound) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        return v;
    }

    @Override
    public void close() {
        for (AutoCloseable b : buffers) {
            try {
                b.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a layer buffer failed", e);
            }
        }
        buffers.clear();
        scope.close();
    }
}
