package org.edgeq.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cells of a study in their fixed order: every base model of the spec with every variant, index 0-based in
 * that order (base models outermost). The plan is a pure function of the spec, so a rerun, a run-cell task on
 * another machine and a merge all agree on indices and ids.
 */
public record StudyPlan(StudySpec spec, List<StudyCell> cells) {

    public StudyPlan {
        cells = List.copyOf(cells);
    }

    /** The plan of {@code spec}; refuses a spec that repeats a cell (two cells with the same definition). */
    public static StudyPlan of(StudySpec spec) {
        List<StudyCell> cells = new ArrayList<>();
        for (BaseModelSpec b : spec.bases()) {
            String name = baseName(b, spec.bases());
            for (Variant v : spec.variants()) {
                cells.add(new StudyCell(cells.size(), StudyCell.idOf(b, v), b, v, name + " " + v.label()));
            }
        }
        Map<String, Long> counts = cells.stream().collect(Collectors.groupingBy(StudyCell::id, Collectors.counting()));
        counts.forEach((id, n) -> {
            if (n > 1) {
                StudyCell c = cells.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                throw new BadUsageException("the study repeats the cell " + c.label() + " (" + n + " times); list each variant once");
            }
        });
        return new StudyPlan(spec, cells);
    }

    /**
     * dataset/model, with the preset, seed or a short key added only where other base models of the study share
     * the dataset and model (so that labels stay short and still tell the cells apart).
     */
    private static String baseName(BaseModelSpec b, List<BaseModelSpec> all) {
        String name = b.dataset() + "/" + b.model();
        List<BaseModelSpec> same = all.stream().filter(o -> o.dataset().equals(b.dataset()) && o.model().equals(b.model())).toList();
        if (same.size() == 1) return name;
        if (same.stream().map(BaseModelSpec::seed).distinct().count() == same.size()) return name + " seed " + b.seed();
        if (same.stream().map(BaseModelSpec::preset).distinct().count() == same.size()) return name + " " + b.preset();
        return name + " #" + BaseModelKey.of(b).substring(0, 6);
    }

    /** The number of cells. */
    public int size() {
        return cells.size();
    }

    /** Cell {@code index}; out of range is bad usage naming the range. */
    public StudyCell cell(int index) {
        if (index < 0 || index >= cells.size()) {
            throw new BadUsageException("--index " + index + " is outside 0.." + (cells.size() - 1) + " (the study has " + cells.size() + " cells)");
        }
        return cells.get(index);
    }

    /** The cell with id {@code id}, if the plan has it. */
    public Optional<StudyCell> byId(String id) {
        return cells.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The cells by id. */
    public Map<String, StudyCell> byId() {
        return cells.stream().collect(Collectors.toMap(StudyCell::id, Function.identity()));
    }
}
