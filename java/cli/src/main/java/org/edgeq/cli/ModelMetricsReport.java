package org.edgeq.cli;

import org.edgeq.metrics.LayerProfile;
import org.edgeq.metrics.LatencyStats;
import org.edgeq.metrics.MemoryPeak;
import org.edgeq.metrics.ModelProfile;
import org.edgeq.metrics.VariantFigures;
import org.edgeq.nn.ModelConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code edgeq info --metrics} prints: the profile per layer and in total as a table or JSON, and for a model
 * that ran, its latency, throughput and peak memory. Figures that were not measured (an architecture given by its
 * shapes) are left out of the text and null in JSON.
 *
 * @param dir             the model directory, null for an architecture
 * @param file            its weights file, null for an architecture
 * @param profile         per-layer counts at the model's widths
 * @param figures         what running it measured; null for an architecture
 * @param training        peak memory of one training step; null for an architecture
 * @param trainBatch      samples of that step
 * @param backend         the backend that ran it
 * @param quantizedInputs whether it ran with its exported activation quantizers
 */
record ModelMetricsReport(Path dir, Path file, ModelConfig config, ModelProfile profile, VariantFigures figures,
                          MemoryPeak training, int trainBatch, String backend, boolean quantizedInputs) {
    private static final double MIB = 1024.0 * 1024.0;

    void print(PrintWriter out) {
        out.printf("%-12s %-12s %-14s %11s %11s %8s %14s %14s %7s %17s %11s%n", "layer", "type", "output", "params", "non-zero",
                "sparsity", "MACs dense", "MACs", "W/A", "BOPs", "bytes");
        for (LayerProfile l : profile.layers()) {
            out.printf(Locale.ROOT, "%-12s %-12s %-14s %,11d %,11d %8s %,14d %,14d %7s %,17d %,11d%n", l.path(), l.type(),
                    l.outputShape(), l.parameters(), l.nonzeros(), l.hasWeight() ? percent(l.weightSparsity()) : "-",
                    l.denseMacs(), l.effectiveMacs(), l.hasWeight() ? l.weightBits() + "/" + l.activationBits() : "-", l.bops(),
                    l.storedBytes());
        }
        out.printf(Locale.ROOT, "%-12s %-12s %-14s %,11d %,11d %8s %,14d %,14d %7s %,17d %,11d%n", "total", "", "", profile.parameters(),
                profile.nonzeros(), percent(profile.weightSparsity()), profile.denseMacs(), profile.effectiveMacs(), "", profile.bops(),
                profile.storedBytes());
        out.println();
        out.printf(Locale.ROOT, "parameters     %,d, %,d non-zero; weights of Linear/Conv2d layers %,d, %s zero%n", profile.parameters(),
                profile.nonzeros(), profile.weights(), percent(profile.weightSparsity()));
        out.printf(Locale.ROOT, "MACs/inference dense %,d, effective %,d (zero weights skipped)%n", profile.denseMacs(), profile.effectiveMacs());
        out.printf(Locale.ROOT, "BOPs/inference %,d (effective MACs x weight bits x activation bits, per layer)%n", profile.bops());
        if (file != null) {
            out.printf(Locale.ROOT, "size on disk   %,d bytes (%s)%n", profile.fileBytes(), file.getFileName());
        } else {
            out.printf(Locale.ROOT, "size          %,d bytes as FP32 tensors (no file: an architecture, counted from shapes; nothing allocated)%n",
                    profile.storedBytes());
        }
        if (figures == null) return;
        LatencyStats l = figures.latency();
        out.printf(Locale.ROOT, "latency        batch 1: p50 %.4g ms, p90 %.4g ms, p99 %.4g ms (%,d runs in %.2f s after %,d warm-up runs in %.2f s%s)%n",
                l.p50Millis(), l.p90Millis(), l.p99Millis(), l.iterations(), l.seconds(), l.warmupRuns(), l.warmupNanos() / 1e9,
                l.runsPerSample() == 1 ? "" : "; timed in groups of " + l.runsPerSample());
        LatencyStats t = figures.throughput();
        out.printf(Locale.ROOT, "throughput     %,.0f samples/s at batch %d (%d batches in %.2f s)%n", figures.throughputPerSecond(),
                figures.throughputBatch(), t.iterations(), t.seconds());
        out.printf(Locale.ROOT, "peak memory    inference (batch 1 and %d): %s%n", figures.throughputBatch(), memory(figures.peak()));
        out.printf(Locale.ROOT, "               training step (batch %d, FP32, Adam): %s%n", trainBatch, memory(training));
        out.printf(Locale.ROOT, "measured on    %s; synthetic inputs%s%n", backend,
                quantizedInputs ? "; activations fake-quantized by the export's input quantizers" : "");
    }

    private static String memory(MemoryPeak p) {
        return String.format(Locale.ROOT, "heap %.1f MiB + off-heap tensors %.1f MiB%s = %.1f MiB", p.heapBytes() / MIB,
                p.offHeapBytes() / MIB, p.deviceBytes() == null ? "" : String.format(Locale.ROOT, " + device %.1f MiB", p.deviceBytes() / MIB),
                p.totalBytes() / MIB);
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }

    JsonLine json() {
        JsonLine j = new JsonLine().put("command", "info").put("metrics", true)
                .put("model", dir == null ? null : dir.toString())
                .put("architecture", config.architecture()).put("input_shape", config.inputShape()).put("outputs", config.outputs())
                .put("layers", profile.layers().size())
                .put("parameters", profile.parameters()).put("nonzeros", profile.nonzeros())
                .put("weights", profile.weights()).put("weight_sparsity", profile.weightSparsity())
                .put("macs_dense", profile.denseMacs()).put("macs", profile.effectiveMacs()).put("bops", profile.bops())
                .put("stored_bytes", profile.storedBytes()).put("size_bytes", profile.fileBytes());
        if (figures != null) {
            LatencyStats l = figures.latency();
            j.put("latency_ms_p50", l.p50Millis()).put("latency_ms_p90", l.p90Millis()).put("latency_ms_p99", l.p99Millis())
                    .put("latency_runs", l.iterations()).put("latency_runs_per_sample", l.runsPerSample()).put("latency_seconds", l.seconds())
                    .put("latency_warmup_runs", l.warmupRuns()).put("latency_warmup_seconds", l.warmupNanos() / 1e9)
                    .put("throughput_per_s", figures.throughputPerSecond()).put("throughput_batch", figures.throughputBatch())
                    .put("peak_bytes", figures.peakBytes())
                    .put("peak_memory", peakMemory())
                    .put("train_batch_size", trainBatch).put("backend", backend).put("inputs", "synthetic")
                    .put("quantized_activations", quantizedInputs);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerProfile p : profile.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.path());
            m.put("type", p.type());
            m.put("output_shape", p.outputShape().dims());
            m.put("parameters", p.parameters());
            m.put("nonzeros", p.nonzeros());
            m.put("weights", p.weights());
            m.put("weight_sparsity", p.hasWeight() ? p.weightSparsity() : null);
            m.put("macs_dense", p.denseMacs());
            m.put("macs", p.effectiveMacs());
            m.put("w_bits", p.hasWeight() ? p.weightBits() : null);
            m.put("a_bits", p.hasWeight() ? p.activationBits() : null);
            m.put("bops", p.bops());
            m.put("stored_bytes", p.storedBytes());
            rows.add(m);
        }
        return j.put("layer_table", rows);
    }

    private Map<String, Object> peakMemory() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inference", memoryMap(figures.peak()));
        m.put("training_step", memoryMap(training));
        return m;
    }

    private static Map<String, Object> memoryMap(MemoryPeak p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap", p.heapBytes());
        m.put("off_heap_tensors", p.offHeapBytes());
        m.put("device", p.deviceBytes());
        m.put("total", p.totalBytes());
        return m;
    }
}
