package org.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.edgeq.backend.HostDeviceSimulationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command runs on a backend whose tensors refuse host access (the test-only
 * {@link HostDeviceSimulationProvider}, which {@code --backend auto} picks while this class runs) and prints the
 * figures and writes the files of the same command on the CPU backend, bit for bit: the command line keeps device
 * tensors on the device, as the CUDA backend needs.
 */
class DeviceResidencyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void enableSimulation() {
        System.setProperty(HostDeviceSimulationProvider.ENABLE, "true");
    }

    @AfterAll
    static void disableSimulation() {
        System.clearProperty(HostDeviceSimulationProvider.ENABLE);
    }

    /** The JSON line of each command, with timings, energy and this run's folder taken out, keyed by step. */
    private static Map<String, JsonNode> runAll(Path root, String backend) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        String tel = root.resolve("blobs").toString(), cnn = root.resolve("cnn").toString();
        String rows = root.resolve("rows.csv").toString(); // commands without --out would write results.csv here
        String[][] steps = {
                {"train", "--epochs", "2", "--out", tel},
                {"train", "--dataset", "synthetic-images", "--model", "cnn-small", "--limit", "200", "--epochs", "1", "--out", cnn},
                {"eval", "--model", tel},
                {"quantize", "--model", tel, "--method", "mid-rise,rounding,stochastic,multipoint,affine", "--set", "uniform,int-sym",
                        "--bits", "4", "--out", root.resolve("q").toString()},
                {"quantize", "--model", cnn, "--method", "affine", "--per-channel", "--observer", "moving-average", "--bits", "4", "--act-bits", "8",
                        "--calibration-batches", "2", "--eval-batch-size", "32", "--out", root.resolve("qc").toString()},
                {"eval", "--model", root.resolve("qc").resolve("affine-int-sym-4bit-a8").toString()},
                {"prune", "--model", tel, "--ratio", "0.5", "--schedule", "gradual", "--scope", "global", "--epochs", "2",
                        "--then-quantize", "rounding", "--set", "uniform", "--bits", "4", "--out", root.resolve("p").toString()},
                {"qat", "--model", cnn, "--bits", "4", "--act-bits", "8", "--lsq", "--epochs", "1", "--out", root.resolve("qat").toString()},
                {"qat", "--model", tel, "--method", "rounding", "--set", "uniform", "--bits", "4", "--epochs", "1", "--csv", rows},
                {"distill", "--teacher", tel, "--student", "dense", "--hidden", "4", "--epochs", "1", "--qat-bits", "4", "--csv", rows},
        };
        for (String[] step : steps) {
            List<String> args = new ArrayList<>(List.of(step));
            args.addAll(List.of("--backend", backend, "--threads", "2", "--seed", "5", "--json"));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            String name = String.join(" ", step).replace(root.toString(), "ROOT");
            assertEquals(0, r.code(), backend + ": " + name + "\n" + r.err());
            if (backend.equals("auto")) {
                assertTrue(r.err().contains("test: the CPU backend behind device-only tensors"), "runs on the simulation: " + r.err());
            }
            JsonNode j = JSON.readTree(r.outLines().getLast().replace(root.toString(), "ROOT"));
            out.put(name, withoutTimings(j));
        }
        return out;
    }

    private static JsonNode withoutTimings(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                // Timings, the process's memory, energy and carbon (CPU time or counters) vary run to run.
                if (f.contains("seconds") || f.contains("latency") || f.equals("backend") || f.equals("throughput_per_s")
                        || f.equals("peak_bytes") || f.equals("peak_rss_bytes") || f.startsWith("energy_") || f.equals("carbon_g")) it.remove();
            }
            o.forEach(DeviceResidencyCliTest::withoutTimings);
        } else if (node != null && node.isArray()) {
            node.forEach(DeviceResidencyCliTest::withoutTimings);
        }
        return node;
    }

    /** Every weight file under root, relative path to bytes. */
    private static Map<String, byte[]> weightFiles(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".safetensors") || f.toString().endsWith(".eqz")).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void everyCommandPrintsAndWritesTheCpuRunsBitsOnDeviceOnlyTensors(@TempDir Path dir) throws IOException {
        // Both runs work in the same folder (moved aside afterwards): paths end up in exports' metadata.
        Path run = dir.resolve("run"), cpuRoot = dir.resolve("cpu"), deviceRoot = dir.resolve("device");
        Map<String, JsonNode> cpu = runAll(run, "cpu");
        Files.move(run, cpuRoot);
        Map<String, JsonNode> device = runAll(run, "auto");
        Files.move(run, deviceRoot);
        assertEquals(cpu.keySet(), device.keySet());
        for (String step : cpu.keySet()) assertEquals(cpu.get(step), device.get(step), step);
        Map<String, byte[]> cpuFiles = weightFiles(cpuRoot), deviceFiles = weightFiles(deviceRoot);
        assertEquals(cpuFiles.keySet(), deviceFiles.keySet());
        assertTrue(cpuFiles.size() >= 8, "weights and exports written: " + cpuFiles.keySet());
        for (String f : cpuFiles.keySet()) assertArrayEquals(cpuFiles.get(f), deviceFiles.get(f), f);
    }
}
