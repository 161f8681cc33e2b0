package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Energy on the command line: train, eval and qat report energy_j, energy_source, seconds, energy_j_per_sample and
 * carbon_g; 'energy compare' tabulates a command per backend; bad energy options are refused with exit 2.
 */
class EnergyCliTest {

    @TempDir
    Path dir;

    /** carbon_g is kWh x the default 436 gCO2e/kWh; J/sample is energy_j over the samples the command names. */
    private static void assertEnergyFields(JsonNode j, long samples) {
        double joules = j.get("energy_j").asDouble();
        assertTrue(joules > 0 && Double.isFinite(joules), j.toString());
        assertFalse(j.get("energy_source").asText().isEmpty());
        assertTrue(j.get("seconds").asDouble() > 0, j.toString());
        assertEquals(joules / samples, j.get("energy_j_per_sample").asDouble(), 1e-12 * Math.max(1, joules));
        assertEquals(joules / 3.6e6 * 436, j.get("carbon_g").asDouble(), 1e-12);
        assertEquals(436.0, j.get("grid_g_per_kwh").asDouble());
        assertFalse(j.get("energy_detail").asText().isEmpty());
    }

    @Test
    void trainJsonCarriesEnergyPerTrainingSampleProcessedAndTheProgressLinesPrintIt() throws Exception {
        CliTest.Run r = CliTest.run("train", "--epochs", "2", "--limit", "400", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEnergyFields(j, j.get("train_samples").asLong() * j.get("epochs").asLong());
        assertTrue(r.err().contains("energy: " + j.get("energy_source").asText()), r.err());
        assertTrue(r.errLines().stream().filter(l -> l.startsWith("epoch ")).allMatch(l -> l.contains(" J/sample")), r.err());
    }

    @Test
    void trainWithoutJsonPrintsTheEnergyLine() {
        CliTest.Run r = CliTest.run("train", "--epochs", "1", "--limit", "200", "--cpu-tdp-w", "65", "--grid-intensity", "100");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training energy ") && r.out().contains("J/sample") && r.out().contains("gCO2e at 100 g/kWh"), r.out());
    }

    @Test
    void evalAndQatJsonCarryEnergyPerEvaluatedOrTrainingSample() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CliTest.Run e = CliTest.run("eval", "--model", model.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEnergyFields(e.lastJson(), e.lastJson().get("samples").asLong());

        CliTest.Run q = CliTest.run("qat", "--model", model.toString(), "--bits", "8", "--epochs", "1",
                "--csv", dir.resolve("r.csv").toString(), "--json");
        assertEquals(0, q.code(), q.err());
        JsonNode j = q.lastJson();
        assertEnergyFields(j, 600); // one row, one epoch over the fixture's 600 training rows
        assertTrue(q.err().contains("w8: fine-tuning energy "), q.err());
        assertTrue(q.errLines().stream().filter(l -> l.startsWith("w8: epoch ")).allMatch(l -> l.contains(" J/sample")), q.err());
    }

    @Test
    void badEnergyOptionsAreRefusedWithExitTwoNamingTheOption() {
        assertRefused(CliTest.run("train", "--cpu-tdp-w", "-5"), "train", "--cpu-tdp-w must be a number of watts in (0, 10000], got -5.0");
        assertRefused(CliTest.run("train", "--cpu-tdp-w", "lots"), "train", "lots");
        assertRefused(CliTest.run("train", "--cpu-cores", "0"), "train", "--cpu-cores must be 1..100000");
        assertRefused(CliTest.run("train", "--grid-intensity", "-1"), "train", "--grid-intensity must be 0..10000");
        assertRefused(CliTest.run("train", "--energy-sample-ms", "0"), "train", "--energy-sample-ms must be 1..60000, got 0");
        assertRefused(CliTest.run("eval", "--model", dir.toString(), "--cpu-tdp-w", "0"), "eval", "--cpu-tdp-w");
        assertRefused(CliTest.run("qat", "--model", dir.toString(), "--grid-intensity", "-3"), "qat", "--grid-intensity");
    }

    @Test
    void compareRefusesACommandItCannotCompare() {
        assertRefused(CliTest.run("energy", "compare"), "energy compare", "COMMAND");
        assertRefused(CliTest.run("energy", "compare", "--", "train", "--backend", "cpu"), "energy compare", "leave --backend out");
        assertRefused(CliTest.run("energy", "compare", "--", "doctor"), "energy compare", "'doctor' has no --backend");
        assertRefused(CliTest.run("energy", "compare", "--", "energy", "compare", "--", "train"), "energy compare", "cannot run energy itself");
        assertRefused(CliTest.run("energy", "compare", "--", "fly"), "energy compare", "'fly' is not an edgeq command");
        assertRefused(CliTest.run("energy", "frobnicate"), "energy", "frobnicate");
        assertRefused(CliTest.run("energy"), "energy", "missing subcommand");
    }

    private static void assertRefused(CliTest.Run r, String command, String mentions) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.errLines().getFirst().startsWith("edgeq " + command + ": "), r.err());
        assertTrue(r.errLines().getFirst().contains(mentions), r.err());
        assertTrue(r.errLines().size() <= 2, "one line and the --help hint: " + r.err());
    }

    // ---- energy compare with a fake runner ----

    /** Answers each run as a command would on that backend: the JSON line with the energy fields. */
    private static final class FakeRunner implements EnergyComparison.Runner {
        final List<List<String>> calls = new ArrayList<>();
        int exitCode = 0;

        @Override
        public EnergyComparison.Result run(EnergyComparison.Slot slot, List<String> args) {
            calls.add(args);
            if (exitCode != 0) return new EnergyComparison.Result(exitCode, null, List.of("edgeq train: --dataset nope: no such dataset"));
            String json = "{\"command\":\"train\",\"seconds\":12.5,\"energy_j\":531.25,\"energy_source\":\"estimate\","
                    + "\"energy_j_per_sample\":0.0125,\"carbon_g\":0.0643,\"energy_detail\":\"process CPU time 12.5 s x 42.5 W per core\"}";
            return new EnergyComparison.Result(0, json, List.of());
        }
    }

    private static CliTest.Run compare(FakeRunner runner, String... args) {
        CommandLine cli = Main.commandLine();
        EnergyCommand.Compare compare = cli.getSubcommands().get("energy").getSubcommands().get("compare").getCommand();
        compare.runner = runner;
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void compareTabulatesEachBackendAndSaysWhyOneCannotRun() {
        FakeRunner runner = new FakeRunner();
        CliTest.Run r = compare(runner, "energy", "compare", "--", "train", "--dataset", "telescope");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertTrue(lines.getFirst().matches("backend +seconds +joules +J/sample +source +note"), lines.getFirst());
        assertTrue(lines.get(1).matches("cpu +12\\.50 +531 +0\\.0125 +estimate +0\\.0643 gCO2e"), lines.get(1));
        assertEquals(List.of("train", "--dataset", "telescope", "--backend", "cpu", "--json"), runner.calls.getFirst());
        String cuda = lines.stream().filter(l -> l.startsWith("cuda")).findFirst().orElseThrow();
        if (runner.calls.size() == 1) { // no GPU here: the CUDA row says why, with the provider's reason
            assertTrue(cuda.matches("cuda +- +- +- +- +cuda unavailable: .+"), cuda);
        }
        assertTrue(r.out().contains("cpu: process CPU time 12.5 s x 42.5 W per core"), r.out());

        CliTest.Run j = compare(new FakeRunner(), "energy", "compare", "--json", "train", "--dataset", "telescope");
        assertEquals(0, j.code(), j.err());
        JsonNode rows = readJson(j).get("rows");
        assertEquals("cpu", rows.get(0).get("backend").asText());
        assertEquals("ran", rows.get(0).get("status").asText());
        assertEquals(531.25, rows.get(0).get("energy_j").asDouble());
        assertEquals(0.0125, rows.get(0).get("energy_j_per_sample").asDouble());
        assertEquals("estimate", rows.get(0).get("energy_source").asText());
        assertEquals(12.5, rows.get(0).get("seconds").asDouble());
        JsonNode cudaRow = rows.get(1);
        assertEquals("cuda", cudaRow.get("backend").asText());
        if (cudaRow.get("status").asText().equals("unavailable")) {
            assertTrue(cudaRow.get("reason").asText().startsWith("cuda unavailable: "), cudaRow.toString());
            assertTrue(cudaRow.get("energy_j").isNull());
        }
    }

    private static JsonNode readJson(CliTest.Run r) {
        try {
            return r.lastJson();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCommandThatIsRefusedOnItsFirstRunEndsTheComparisonWithItsMessage() {
        FakeRunner runner = new FakeRunner();
        runner.exitCode = ExitCodes.USAGE;
        CliTest.Run r = compare(runner, "energy", "compare", "--", "train", "--dataset", "nope");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(1, runner.calls.size(), "not run again on other backends");
        assertTrue(r.err().contains("'train --dataset nope' was refused: edgeq train: --dataset nope: no such dataset"), r.err());

        FakeRunner failing = new FakeRunner();
        failing.exitCode = ExitCodes.FAILURE;
        CliTest.Run f = compare(failing, "energy", "compare", "--", "train");
        assertEquals(ExitCodes.FAILURE, f.code());
        assertTrue(f.outLines().get(1).contains("exit 1: edgeq train: --dataset nope"), f.out());
    }

    @Test
    void thePlanRunsCpuFirstThenEachCudaDeviceOrSaysWhyCudaCannotRun() {
        List<EnergyComparison.Slot> gpus = EnergyComparison.plan(List.of(provider("cuda", 100, null, 2), provider("cpu", 0, null, 1)));
        assertEquals(List.of("cpu", "cuda:0", "cuda:1"), gpus.stream().map(EnergyComparison.Slot::label).toList());
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "1", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"), gpus.get(2).env());

        List<EnergyComparison.Slot> none = EnergyComparison.plan(List.of(provider("cuda", 100, "no NVIDIA driver", 0), provider("cpu", 0, null, 1)));
        assertEquals("no NVIDIA driver", none.get(1).unavailable());
        EnergyComparison.Outcome o = EnergyComparison.compare(none, List.of("eval", "--model", "m", "--json"), new FakeRunner());
        assertEquals("cuda unavailable: no NVIDIA driver", o.rows().get(1).note());
        assertEquals(List.of("eval", "--model", "m", "--json", "--backend", "cpu"), EnergyComparison.argsFor(none.getFirst(), List.of("eval", "--model", "m", "--json")));
    }

    private static BackendProvider provider(String name, int rank, String unavailable, int devices) {
        return new BackendProvider() {
            public int deviceCount() {
                return devices;
            }

            public String name() {
                return name;
            }

            public int rank() {
                return rank;
            }

            public Optional<String> unavailableReason() {
                return Optional.ofNullable(unavailable);
            }

            public Backend create(int threads) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
