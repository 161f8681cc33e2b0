package org.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** edgeq hwsim: integer runs against the fake-quant model from an FP32 directory and from an export, and bad input refused. */
class HwsimCommandTest {

    @TempDir
    Path dir;

    @Test
    void fp32ModelIsQuantizedAtEachWidthAndItsIntegerRunAgreesWithTheFakeQuantModelAt32Bits() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CliTest.Run r = CliTest.run("hwsim", "--model", model.toString(), "--bits", "8,4", "--acc-bits", "32,16",
                "--calibration-batches", "2", "--device", "generic-45nm,sm_80", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.outLines().size(), "stdout is the JSON line only: " + r.out());
        JsonNode j = r.lastJson();
        assertEquals("hwsim", j.get("command").asText());
        assertEquals("model", j.get("label").asText());
        assertTrue(j.get("energy_source").asText().contains("Horowitz, ISSCC 2014"), j.get("energy_source").asText());
        JsonNode ps = j.get("precisions");
        assertEquals(2, ps.size());
        for (JsonNode p : ps) {
            assertEquals(8, p.get("a_bits").asInt());
            JsonNode acc32 = p.get("integer").get(0);
            assertEquals(32, acc32.get("acc_bits").asInt());
            assertEquals(0, acc32.get("saturations").asLong(), "nothing saturates in 32 bits");
            assertTrue(acc32.get("prediction_agreement").asDouble() >= 0.99, acc32.toString());
            assertEquals(p.get("fake_quant_accuracy").asDouble(), acc32.get("int_accuracy").asDouble(), 0.011, acc32.toString());
            assertEquals(3, acc32.get("saturations_per_layer").size(), "one entry per weight layer");
            assertTrue(acc32.get("est_energy_uj_per_inference").asDouble() > 0);
            assertEquals(2, p.get("roofline").size());
            assertEquals("model", p.get("roofline").get(0).get("label").asText());
        }
        assertTrue(ps.get(0).get("energy").get("est_energy_uj_per_inference").asDouble()
                > ps.get(1).get("energy").get("est_energy_uj_per_inference").asDouble(), "4-bit weights cost less than 8-bit");
        assertTrue(j.get("fp32").get("energy").get("est_energy_uj_per_inference").asDouble()
                > ps.get(0).get("energy").get("est_energy_uj_per_inference").asDouble(), "FP32 costs most");
    }

    @Test
    void anExportWithActivationRangesKeepsItsOwnWeightsAndItsFakeQuantAccuracyIsWhatEvalMeasures() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        CliTest.Run q = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--per-channel", "--bits", "8",
                "--act-bits", "8", "--calibration-batches", "2", "--out", out.toString(), "--json");
        assertEquals(0, q.code(), q.err());
        Path export = out.resolve("affine-int-sym-8bit-a8");
        CliTest.Run e = CliTest.run("eval", "--model", export.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        CliTest.Run r = CliTest.run("hwsim", "--model", export.toString(), "--acc-bits", "32", "--device", "cpu", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode p = r.lastJson().get("precisions").get(0);
        assertEquals(8, p.get("w_bits").asInt());
        assertTrue(p.get("weights_from").asText().startsWith("as exported"), p.get("weights_from").asText());
        assertEquals(e.lastJson().get("test_acc").asDouble(), p.get("fake_quant_accuracy").asDouble(), 1e-12,
                "the fake-quant model is the export as 'edgeq eval' runs it");
        JsonNode acc32 = p.get("integer").get(0);
        assertEquals(0, acc32.get("saturations").asLong());
        assertTrue(acc32.get("prediction_agreement").asDouble() >= 0.99, acc32.toString());
    }

    @Test
    void textOutputShowsBothAccuraciesPerLayerSaturationsEnergyAndRooflines() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CliTest.Run r = CliTest.run("hwsim", "--model", model.toString(), "--calibration-batches", "1", "--limit", "50");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"fake-quant model: accuracy", "saturated partial sums per layer", "net.0", "est_energy_uj_per_inference (model)",
                "roofline per inference (model)", "sm_90", "summary (energies are a model", "dataflow:"}) {
            assertTrue(r.out().contains(s), "mentions '" + s + "':\n" + r.out());
        }
    }

    @Test
    void energyTablesWithUnknownKeysOrNegativeValuesAreRefusedNamingTheKey() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path unknown = Files.writeString(dir.resolve("u.json"), "{\"int8_add_pj\": 0.03, \"sram_64kb_64b_pj\": 30}");
        CliTest.Run r = CliTest.run("hwsim", "--model", model.toString(), "--energy-table", unknown.toString());
        QuantizeCommandTest.assertRefused(r, "hwsim", "unknown key 'sram_64kb_64b_pj'");
        Path negative = Files.writeString(dir.resolve("n.json"), "{\"dram_64b_pj\": -5}");
        r = CliTest.run("hwsim", "--model", model.toString(), "--energy-table", negative.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("'dram_64b_pj'") && r.err().contains(">= 0"), r.err());
        Path good = Files.writeString(dir.resolve("g.json"), "{\"dram_64b_pj\": 1300}");
        r = CliTest.run("hwsim", "--model", model.toString(), "--energy-table", good.toString(), "--limit", "20",
                "--calibration-batches", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1300, r.lastJson().get("energy_table").get("dram_64b_pj").asDouble());
        assertTrue(r.lastJson().get("energy_source").asText().contains("g.json"));
    }

    @Test
    void badOptionsAreRefused() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        String m = model.toString();
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", m, "--acc-bits", "20"), "hwsim", "--acc-bits 20");
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", m, "--bits", "16"), "hwsim", "--bits 16 is outside 2..8");
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", m, "--device", "tpu"), "hwsim", "unknown device 'tpu'");
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", m, "--rounding", "up"), "hwsim", "--rounding");
        Path out = dir.resolve("q");
        CliTest.Run q = CliTest.run("quantize", "--model", m, "--method", "affine", "--bits", "8", "--out", out.toString(), "--json");
        assertEquals(0, q.code(), q.err());
        String export = out.resolve("affine-int-sym-8bit").toString();
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", export), "hwsim", "carries no activation ranges");
        QuantizeCommandTest.assertRefused(CliTest.run("hwsim", "--model", export, "--bits", "4"), "hwsim", "is an export with its own precision");
    }
}
