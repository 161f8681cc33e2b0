package org.edgeq.distill;

import org.edgeq.nn.Model;
import org.edgeq.tensor.Tensor;
import org.edgeq.train.TrainingHook;

/**
 * Runs the teacher model in inference mode on every training batch before the student's forward pass, so a
 * {@link DistillationLoss} finds the teacher's logits for the same rows. The teacher's weights never change.
 */
public final class TeacherHook implements TrainingHook {
    private final Model teacher;
    private Tensor logits;

    public TeacherHook(Model teacher) {
        this.teacher = teacher;
    }

    @Override
    public void beforeForward(Tensor x, int epoch, long step) {
        logits = teacher.forward(x, false);
    }

    /**
     * The teacher's logits [N, K] for the current batch, owned by the teacher and valid until its next forward.
     *
     * @throws IllegalStateException before the first batch
     */
    public Tensor logits() {
        if (logits == null) throw new IllegalStateException("teacher has not seen a batch yet: add the TeacherHook to the Trainer");
        return logits;
    }

    public Model teacher() {
        return teacher;
    }
}
