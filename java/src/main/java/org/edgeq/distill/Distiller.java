package org.edgeq.distill;

import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.train.EpochListener;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.edgeq.train.TrainingResult;

/**
 * Trains a student model from a trained teacher on a classification dataset: a {@link Trainer} with a
 * {@link TeacherHook} first among its hooks and a {@link DistillationLoss}. Further hooks (quantization-aware
 * training of the student, pruning masks) run after the teacher, in the order given.
 *
 * @param config      the student's training run
 * @param alpha       weight of the soft-target term, in [0, 1]
 * @param temperature softmax temperature, > 0
 */
public record Distiller(TrainingConfig config, float alpha, float temperature) {

    /** Hinton et al.'s usual setting: mostly soft targets at a moderate temperature. */
    public static Distiller defaults(TrainingConfig config) {
        return new Distiller(config, 0.7f, 4f);
    }

    /**
     * Trains {@code student} in place on rows {@code trainRows} of {@code data}, validating on
     * {@code validationRows} (null: none). Teacher and student must take inputs of the same size
     * (a CNN teacher may teach a dense student) and have the same output shape.
     */
    public TrainingResult train(Model teacher, Model student, Dataset data, int[] trainRows, int[] validationRows,
                                EpochListener listener, TrainingHook... moreHooks) {
        if (data.task() != Task.CLASSIFICATION) throw new IllegalArgumentException("distillation needs a classification dataset, " + data.name() + " is " + data.task());
        // Only sizes must agree: a CNN teacher [1, 28, 28] can teach a dense student [784].
        if (teacher.inputShape().numel() != student.inputShape().numel() || !teacher.outputShape().equals(student.outputShape())) {
            throw new IllegalArgumentException("teacher " + teacher.inputShape() + " -> " + teacher.outputShape()
                    + " and student " + student.inputShape() + " -> " + student.outputShape()
                    + " must take inputs of the same size and have the same output shape");
        }
        if (teacher.backend() != student.backend()) throw new IllegalArgumentException("teacher and student must run on the same backend");
        TeacherHook teacherHook = new TeacherHook(teacher);
        try (DistillationLoss loss = new DistillationLoss(teacherHook::logits, alpha, temperature)) {
            Trainer trainer = new Trainer(config).withHook(teacherHook).withLoss(loss);
            for (TrainingHook h : moreHooks) trainer.withHook(h);
            return trainer.train(student, data, trainRows, validationRows, listener);
        }
    }
}
