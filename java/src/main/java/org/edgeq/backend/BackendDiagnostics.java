package org.edgeq.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backend's provider can tell about this machine, for {@code edgeq doctor}: a titled section of labelled
 * lines, the same facts as JSON fields (in order, merged into doctor's JSON line), and the one-line conclusion.
 *
 * @param title      section heading, e.g. "CUDA"
 * @param lines      label and value, one per fact
 * @param json       the facts as JSON fields; the names are part of doctor's JSON output, so keep them stable
 * @param conclusion the last line: available, or the first reason it cannot run
 */
public record BackendDiagnostics(String title, List<Line> lines, Map<String, Object> json, String conclusion) {

    /** One labelled fact. */
    public record Line(String label, String value) {
    }

    public BackendDiagnostics {
        lines = List.copyOf(lines);
        json = Collections.unmodifiableMap(new LinkedHashMap<>(json));
    }
}
