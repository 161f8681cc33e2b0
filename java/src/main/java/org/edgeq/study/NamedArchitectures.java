package org.edgeq.study;

import org.edgeq.data.NearestName;
import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;

import java.util.Arrays;
import java.util.List;

/** The model and preset names a study takes ({@link ModelChoice}, {@link PresetChoice}): base models as edgeq train makes them, students as edgeq distill does. */
public final class NamedArchitectures implements Architectures, CellRunner.StudentArchitectures {

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

    /** The model named {@code name} (as --model spells it, any case); an unknown name is bad usage listing the names. */
    public static ModelChoice model(String name) {
        return byName("model", name, ModelChoice.class);
    }

    /** The preset named {@code name} (edgeq or seed, any case); an unknown name is bad usage listing the names. */
    public static PresetChoice preset(String name) {
        return byName("preset", name, PresetChoice.class);
    }

    private static <E extends Enum<E>> E byName(String what, String name, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(name.strip())) return e;
        }
        throw new BadUsageException(what + " " + NearestName.notOneOf(name, Arrays.stream(type.getEnumConstants()).map(Object::toString).toList()));
    }
}
