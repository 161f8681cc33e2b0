package org.edgeq.distill;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Loss;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.function.Supplier;

/**
 * Hinton et al.'s distillation objective on a batch of student logits: α·T²·KL(softmax(teacher/T) ‖
 * softmax(student/T)) + (1 − α)·CE(student, labels), the teacher's logits for the batch coming from a supplier,
 * normally {@link TeacherHook#logits()}. The
 * T² keeps the soft term's gradients on the scale of the hard term's as T grows (they shrink as 1/T²). With α = 0
 * it is plain cross-entropy, bit for bit. Owns one scratch gradient buffer, freed by {@link #close()}.
 *
 * @see Backend#softTargetKlDivergence
 */
public final class DistillationLoss implements Loss, AutoCloseable {
    private final Supplier<Tensor> teacherLogits;
    private final float alpha;
    private final float temperature;
    private final TensorScope scope = new TensorScope();
    private Tensor scratch;

    /**
     * @param teacherLogits the teacher's logits [N, K] for the batch being trained on
     * @param alpha       weight of the soft-target term, in [0, 1]
     * @param temperature softmax temperature T > 0 (Hinton et al. use 2 to 20)
     */
    public DistillationLoss(Supplier<Tensor> teacherLogits, float alpha, float temperature) {
        if (!(alpha >= 0f && alpha <= 1f)) throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be positive and finite, got " + temperature);
        }
        this.teacherLogits = teacherLogits;
        this.alpha = alpha;
        this.temperature = temperature;
    }

    public float alpha() {
        return alpha;
    }

    public float temperature() {
        return temperature;
    }

    @Override
    public double compute(Backend backend, Tensor output, Tensor target, Tensor dOutput) {
        if (alpha == 0f) return backend.softmaxCrossEntropy(output, target, dOutput);
        Tensor teacher = teacherLogits.get();
        if (!teacher.shape().equals(output.shape())) {
            throw new IllegalArgumentException("distillation: teacher logits " + teacher.shape() + " do not match student output " + output.shape());
        }
        float softWeight = alpha * temperature * temperature;
        if (alpha == 1f) {
            double kl = backend.softTargetKlDivergence(output, teacher, temperature, dOutput);
            if (dOutput != null) backend.scale(dOutput, softWeight);
            return softWeight * kl;
        }
        double ce = backend.softmaxCrossEntropy(output, target, dOutput);
        Tensor dSoft = null;
        if (dOutput != null) {
            backend.scale(dOutput, 1f - alpha);
            dSoft = scratchFor(backend, output);
        }
        double kl = backend.softTargetKlDivergence(output, teacher, temperature, dSoft);
        if (dOutput != null) backend.axpy(softWeight, dSoft, dOutput);
        return softWeight * kl + (1 - alpha) * ce;
    }

    /** A [N, K] gradient buffer; allocated once for the largest batch, a view for smaller ones. */
    private Tensor scratchFor(Backend backend, Tensor output) {
        int rows = output.dim(0), k = output.dim(1);
        if (scratch == null || scratch.dim(0) < rows || scratch.dim(1) != k) scratch = backend.allocate(scope, DType.F32, rows, k);
        return scratch.dim(0) == rows ? scratch : scratch.firstRows(rows);
    }

    @Override
    public void close() {
        scope.close();
    }
}
