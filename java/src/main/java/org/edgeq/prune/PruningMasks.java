package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.tensor.TensorScope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pruning masks of one model, one per pruned parameter tensor, with the memory they live in: pruning sets them
 * from a {@link Pruner} and zeroes the removed elements, {@link #apply()} zeroes them again after training moved
 * them. Masks {@link #hold held} from an earlier pruning (an exported pruned model's zeros) stay in force under
 * every later update, so a model pruned again, fine-tuned or quantized never revives what was removed before.
 */
public final class PruningMasks implements AutoCloseable {
    /**
     * Key of the export metadata entry that lists the pruned parameters (comma-separated names), so that a run
     * starting from the export can recover and hold its masks ({@link ParameterMask#ofZeros}).
     */
    public static final String METADATA_KEY = "pruned";

    private final Model model;
    private final TensorScope scope = new TensorScope();
    private final Map<String, PruningMask> byName = new LinkedHashMap<>();
    private final Map<String, float[]> held = new LinkedHashMap<>();

    public PruningMasks(Model model) {
        this.model = model;
    }

    /** Masks of a model pruned once by {@code pruner} at {@code ratio} (the parameters are zeroed now). */
    public static PruningMasks prune(Model model, Pruner pruner, double ratio) {
        PruningMasks masks = new PruningMasks(model);
        masks.update(pruner.select(model, ratio));
        return masks;
    }

    /**
     * Masks that hold the zeros of the named parameters of {@code model} (an exported pruned model's, listed under
     * {@link #METADATA_KEY}): every later update keeps them removed.
     */
    public static PruningMasks holdingZerosOf(Model model, List<String> parameterNames) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) byName.put(p.name(), p);
        List<ParameterMask> zeros = new ArrayList<>();
        for (String name : parameterNames) {
            Parameter p = byName.get(name);
            if (p == null) throw new IllegalArgumentException("pruned parameter '" + name + "' is not in the model (it has " + byName.keySet() + ")");
            zeros.add(ParameterMask.ofZeros(model, p));
        }
        PruningMasks masks = new PruningMasks(model);
        masks.hold(zeros);
        return masks;
    }

    /** Sets the masks of the given parameters (others keep theirs), keeping held removals, and applies every mask. */
    public void update(List<ParameterMask> masks) {
        for (ParameterMask m : masks) {
            Parameter p = m.parameter();
            checkOwned(p);
            float[] keep = m.keep();
            float[] base = held.get(p.name());
            if (base != null) keep = and(keep, base);
            byName.computeIfAbsent(p.name(), n -> new PruningMask(model.backend(), scope, p)).set(keep);
        }
        apply();
    }

    /**
     * Holds the removals of {@code removed} for good: they join the current masks now and every mask set later,
     * and every mask is applied.
     */
    public void hold(List<ParameterMask> removed) {
        for (ParameterMask m : removed) {
            Parameter p = m.parameter();
            checkOwned(p);
            float[] base = held.get(p.name());
            float[] keep = base == null ? m.keep().clone() : and(base, m.keep());
            held.put(p.name(), keep);
            PruningMask current = byName.get(p.name());
            if (current == null) byName.put(p.name(), current = new PruningMask(model.backend(), scope, p));
            else keep = and(keep, current.keep());
            current.set(keep);
        }
        apply();
    }

    private void checkOwned(Parameter p) {
        for (Parameter own : model.parameters()) {
            if (own.name().equals(p.name()) && own.value() == p.value()) return;
        }
        throw new IllegalArgumentException("mask for " + p.name() + " does not belong to this model");
    }

    private static float[] and(float[] a, float[] b) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] != 0f && b[i] != 0f ? 1f : 0f;
        return c;
    }

    /** Re-applies every mask: removed elements are exactly zero again. */
    public void apply() {
        for (PruningMask m : byName.values()) m.apply();
    }

    /** Masks by parameter name, in the order they were first set. */
    public List<PruningMask> masks() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** Names of the parameters whose mask removes at least one element, in the order they were first set. */
    public List<String> prunedParameters() {
        return byName.values().stream().filter(m -> m.pruned() > 0).map(m -> m.parameter().name()).toList();
    }

    /** {@link #prunedParameters()} as the value of {@link #METADATA_KEY}. */
    public String metadataValue() {
        return String.join(",", prunedParameters());
    }

    /** Parses a {@link #METADATA_KEY} value back into parameter names (none for null or empty). */
    public static List<String> parseMetadata(String value) {
        if (value == null || value.isBlank()) return List.of();
        return List.of(value.split(","));
    }

    public Model model() {
        return model;
    }

    @Override
    public void close() {
        scope.close();
    }
}
