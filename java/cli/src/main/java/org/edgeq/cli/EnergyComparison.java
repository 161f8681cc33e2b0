package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.backend.BackendProvider;
import org.edgeq.energy.EnergyFigures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code edgeq energy compare} does, apart from picocli and processes: which backends to run (cpu, then each
 * CUDA device, or why one cannot run), one run per backend through a {@link Runner}, and the table of what each run
 * reported on its --json line (seconds, energy_j, energy_j_per_sample, energy_source).
 */
final class EnergyComparison {

    /** One backend to run the command on: a device (CUDA), the environment that selects it, or why it cannot run. */
    record Slot(String backend, Integer device, String unavailable, Map<String, String> env) {
        String label() {
            return device == null ? backend : backend + ":" + device;
        }
    }

    /** Runs one command line on one slot and gives back its exit code, its last stdout line and its last stderr lines. */
    interface Runner {
        Result run(Slot slot, List<String> args);
    }

    /** A finished run: exit code, the last non-empty stdout line (the --json line), and the end of its stderr. */
    record Result(int exitCode, String lastStdoutLine, List<String> stderrTail) {
        String lastError() {
            return stderrTail.isEmpty() ? "(nothing on stderr)" : stderrTail.getLast();
        }
    }

    /** One row of the table: ran (figures), unavailable or failed (note says why). */
    record Row(String backend, Integer device, String status, double seconds, double joules, double joulesPerSample,
               String source, double carbonGrams, String note) {

        static Row notRun(Slot slot, String status, String note) {
            return new Row(slot.backend(), slot.device(), status, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN, note);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", backend);
            m.put("device", device);
            m.put("status", status);
            m.put("seconds", seconds);
            m.put("energy_j", joules);
            m.put("energy_j_per_sample", joulesPerSample);
            m.put("energy_source", source);
            m.put("carbon_g", carbonGrams);
            m.put(status.equals("ran") ? "energy_detail" : "reason", note);
            m.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
            return m;
        }
    }

    /** The outcome: the rows, or the first run's own bad-usage message (exit 2: the inner command was wrong). */
    record Outcome(List<Row> rows, String badUsage) {
        int exitCode() {
            if (badUsage != null) return ExitCodes.USAGE;
            return rows.stream().anyMatch(r -> r.status().equals("failed")) ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EnergyComparison() {
    }

    /**
     * The slots: cpu first, then every other backend in rank order; an available CUDA backend gives one slot per
     * device, selected by CUDA_VISIBLE_DEVICES in PCI order (so NVML's device number is the same); an unavailable
     * one gives one slot carrying its provider's reason.
     */
    static List<Slot> plan(List<BackendProvider> providers) {
        List<BackendProvider> ordered = new ArrayList<>(providers);
        ordered.sort((a, b) -> a.name().equals("cpu") ? -1 : b.name().equals("cpu") ? 1 : Integer.compare(b.rank(), a.rank()));
        List<Slot> slots = new ArrayList<>();
        for (BackendProvider p : ordered) {
            Optional<String> reason = p.unavailableReason();
            if (reason.isPresent()) {
                slots.add(new Slot(p.name(), null, reason.get(), Map.of()));
            } else if (p.name().equals("cuda")) {
                int n = p.deviceCount();
                for (int d = 0; d < n; d++) {
                    slots.add(new Slot("cuda", d, null, Map.of("CUDA_VISIBLE_DEVICES", Integer.toString(d), "CUDA_DEVICE_ORDER", "PCI_BUS_ID")));
                }
            } else {
                slots.add(new Slot(p.name(), null, null, Map.of()));
            }
        }
        return slots;
    }

    /** The command line a slot runs: the user's command with --backend and, unless given, --json. */
    static List<String> argsFor(Slot slot, List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--backend");
        args.add(slot.backend());
        if (!command.contains("--json")) args.add("--json");
        return args;
    }

    /** Runs {@code command} on every available slot; stops at the first run that reports bad usage (exit 2). */
    static Outcome compare(List<Slot> slots, List<String> command, Runner runner) {
        List<Row> rows = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.unavailable() != null) {
                rows.add(Row.notRun(slot, "unavailable", slot.label() + " unavailable: " + slot.unavailable()));
                continue;
            }
            Result r = runner.run(slot, argsFor(slot, command));
            if (r.exitCode() == ExitCodes.USAGE) return new Outcome(rows, r.lastError());
            rows.add(row(slot, r));
        }
        return new Outcome(rows, null);
    }

    private static Row row(Slot slot, Result r) {
        if (r.exitCode() != ExitCodes.OK) return Row.notRun(slot, "failed", "exit " + r.exitCode() + ": " + r.lastError());
        JsonNode json;
        try {
            json = r.lastStdoutLine() == null ? null : JSON.readTree(r.lastStdoutLine());
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) return Row.notRun(slot, "failed", "its last line of stdout is not a JSON object");
        if (!json.has("energy_j")) {
            return Row.notRun(slot, "failed", "its JSON line has no energy_j (train, eval and qat report energy)");
        }
        return new Row(slot.backend(), slot.device(), "ran", number(json, "seconds"), number(json, "energy_j"),
                number(json, "energy_j_per_sample"), json.path("energy_source").asText(null), number(json, "carbon_g"),
                json.path("energy_detail").asText(""));
    }

    private static double number(JsonNode json, String key) {
        JsonNode n = json.get(key);
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    /** The table for people: one line per backend, then each measured row's detail (what the figure assumed). */
    static List<String> table(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        String format = "%-8s %10s %12s %12s %-9s %s";
        lines.add(String.format(Locale.ROOT, format, "backend", "seconds", "joules", "J/sample", "source", "note"));
        for (Row r : rows) {
            String label = r.device() == null ? r.backend() : r.backend() + ":" + r.device();
            boolean ran = r.status().equals("ran");
            lines.add(String.format(Locale.ROOT, format, label,
                    Double.isNaN(r.seconds()) ? "-" : String.format(Locale.ROOT, "%.2f", r.seconds()),
                    EnergyFigures.figure(r.joules()), EnergyFigures.figure(r.joulesPerSample()),
                    r.source() == null ? "-" : r.source(),
                    ran ? String.format(Locale.ROOT, "%s gCO2e", EnergyFigures.figure(r.carbonGrams())) : r.note()).stripTrailing());
        }
        for (Row r : rows) {
            if (r.status().equals("ran") && !r.note().isEmpty()) {
                lines.add((r.device() == null ? r.backend() : r.backend() + ":" + r.device()) + ": " + r.note());
            }
        }
        return lines;
    }
}
