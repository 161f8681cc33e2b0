package org.edgeq.cli;

import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;
import org.edgeq.study.Architectures;
import org.edgeq.study.CellRunner;

import java.util.List;

/** The command line's model and preset choices as a study needs them: base models as edgeq train makes them, students as edgeq distill does. */
final class CliArchitectures implements Architectures, CellRunner.StudentArchitectures {

    @Override
    public ModelConfig config(String model, String preset, int[] inputShape, int outputs, Task task) {
        return preset(preset).config(model(model), inputShape, outputs, task, null, null);
    }

    @Override
    public int defaultEpochs(String preset, Task task) {
        return preset(preset).epochs(task);
    }

    @Override
    public int defaultBatchSize(String model) {
        return model(model).isDense() ? 16 : 64; // as edgeq train
    }

    @Override
    public ModelConfig config(String model, List<Integer> hidden, int[] inputShape, int classes) {
        return model(model).config(inputShape, classes, hidden, null);
    }

    private static ModelChoice model(String name) {
        try {
            return new EnumByName<>(ModelChoice.class).convert(name);
        } catch (RuntimeException e) {
            throw new UsageException("model '" + name + "': " + Main.oneLine(e.getMessage()));
        }
    }

    private static PresetChoice preset(String name) {
        try {
            return new EnumByName<>(PresetChoice.class).convert(name);
        } catch (RuntimeException e) {
            throw new UsageException("preset '" + name + "': " + Main.oneLine(e.getMessage()));
        }
    }
}
