package org.edgeq.hwsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.junit.jupiter.api.Test;

/** MAC, BOP and byte counts of the energy model against hand-computed models; the table's override and scaling rules. */
class EnergyModelTest {
    private static final double REG = 10 * Math.sqrt(1.0 / 8);

    @Test
    void denseFourThreeTwoCountsAndPricesAsComputedByHand() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("dense", new int[] {4}, 2, List.of(3), 0f, false), backend, 1)) {
            EnergyModel.Estimate e = EnergyModel.estimate(NetworkGraph.of(m), new EnergyModel.Precision(8, 8, 32), EnergyTable.horowitz45nm());
            EnergyModel.LayerEnergy l0 = e.layers().get(0), l1 = e.layers().get(1);
            // Layer 0: 4 -> 3. MACs 12, BOPs 12 x 8 x 8. Weights 12 x 8 bits + biases 3 x 32 = 192 bits.
            assertEquals(12, l0.macs());
            assertEquals(768, l0.bops());
            assertEquals((192 + 4 * 8) / 8.0, l0.dramBytes(), 1e-9, "weights, biases and the input from DRAM");
            assertEquals((2 * 192 + 4 * 8 + 4 * 8 + 3 * 8) / 8.0, l0.sramBytes(), 1e-9, "weights in and out, input in, input read, output written");
            assertEquals(12 * 16 / 8.0, l0.registerBytes(), 1e-9);
            assertEquals("8 KB", l0.sramLevel());
            assertEquals(12 * (0.2 + 0.1) + 3 * (0.1 + 3.1 + 0.1), l0.computePj(), 1e-9, "MACs, then bias, Q31 multiply, zero point");
            assertEquals(10 * 472 / 64.0, l0.sramPj(), 1e-9);
            assertEquals(REG * 192 / 64, l0.registerPj(), 1e-9);
            assertEquals(1950 * 224 / 64.0, l0.dramPj(), 1e-9);
            // Layer 1: 3 -> 2, the output layer: logits (32 bits) to DRAM, dequantized (int32 add + fp32 multiply).
            assertEquals(6, l1.macs());
            assertEquals((6 * 8 + 2 * 32 + 2 * 32) / 8.0, l1.dramBytes(), 1e-9);
            assertEquals((2 * (6 * 8 + 2 * 32) + 3 * 8) / 8.0, l1.sramBytes(), 1e-9);
            assertEquals(6 * 0.3 + 2 * (0.1 + 3.7), l1.computePj(), 1e-9);
            assertEquals(18, e.macs());
            assertEquals(1152, e.bops());
            assertEquals(e.totalPj() * 1e-6, e.microjoules(), 1e-15);
            assertEquals(e.microjoules(), HwsimEnergy.estimateMicrojoules(m, 8, 8), 1e-15);
        }
    }

    @Test
    void cnnSmallCountsMatchHandComputedMacsBopsAndDramBytes() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false), backend, 1)) {
            EnergyModel.Estimate e = EnergyModel.estimate(NetworkGraph.of(m), new EnergyModel.Precision(4, 8, 32), EnergyTable.horowitz45nm());
            long[] macs = e.layers().stream().mapToLong(EnergyModel.LayerEnergy::macs).toArray();
            // conv 1->16 3x3 pad 1 on 8x8: 16*64*9; pool to 4x4; conv 16->32: 32*16*144; pool to 2x2; fc 128->128; fc 128->3.
            assertEquals(List.of(9216L, 73728L, 16384L, 384L), java.util.Arrays.stream(macs).boxed().toList());
            assertEquals(99712L * 4 * 8, e.bops());
            long modelMacs = m.weightLayers().stream().mapToLong(w -> w.layer().macsPerSample()).sum();
            assertEquals(modelMacs, e.macs(), "the layers' own MAC counts");
            double[] dram = e.layers().stream().mapToDouble(EnergyModel.LayerEnergy::dramBytes).toArray();
            assertEquals(200, dram[0], 1e-9, "144 x 4 + 16 x 32 bits of weights and biases, 64 x 8 of input");
            assertEquals(2432, dram[1], 1e-9);
            assertEquals(8704, dram[2], 1e-9);
            assertEquals(216, dram[3], 1e-9, "384 x 4 + 3 x 32 bits, 3 logits x 32");
            // conv 1 reads 576 im2col elements per output channel group (64 positions x 9) and writes 16 x 4 x 4 pooled codes.
            assertEquals((2 * 1088 + 512 + 576 * 8 + 256 * 8) / 8.0, e.layers().get(0).sramBytes(), 1e-9);
            // Max pool over 2x2 windows: 3 comparisons per output, at the activation width.
            double conv1Compute = 9216 * (0.1 + 0.1) + 1024 * (0.1 + 3.1 + 0.1) + 256 * 3 * 0.03;
            assertEquals(conv1Compute, e.layers().get(0).computePj(), 1e-9);
        }
    }

    @Test
    void fewerBitsCostLessAndFp32CostsMost() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("cnn-small", new int[] {1, 28, 28}, 10, List.of(), 0.25f, false), backend, 1)) {
            double fp = HwsimEnergy.estimateMicrojoules(m, 32, 32);
            double w8 = HwsimEnergy.estimateMicrojoules(m, 8, 8);
            double w4 = HwsimEnergy.estimateMicrojoules(m, 4, 8);
            double w2 = HwsimEnergy.estimateMicrojoules(m, 2, 8);
            double w4only = HwsimEnergy.estimateMicrojoules(m, 4, 32);
            assertTrue(fp > w8 && w8 > w4 && w4 > w2, fp + " " + w8 + " " + w4 + " " + w2);
            // Weight-only 4-bit moves the same weight bytes as W4A8 but computes in FP32 on 32-bit activations.
            assertTrue(fp > w4only && w4only > w4, fp + " " + w4only + " " + w4);
        }
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("resnet9", new int[] {3, 8, 8}, 10, List.of(), 0f, false), backend, 1)) {
            assertTrue(HwsimEnergy.estimateMicrojoules(m, 8, 8) > 0, "residual networks get a cost estimate (adds left out)");
        }
    }

    @Test
    void derivedIntegerWidthsFollowTheStatedRules() {
        EnergyTable t = EnergyTable.horowitz45nm();
        assertEquals(0.2, t.intMult(8, 8), 1e-12);
        assertEquals(0.1, t.intMult(4, 8), 1e-12, "multiplier ~ bits_w x bits_a");
        assertEquals(0.2 * 4 / 64, t.intMult(2, 2), 1e-12);
        assertEquals(3.1, t.intMult(32, 32), 1e-12);
        assertEquals(0.03, t.intAdd(8), 1e-12);
        assertEquals(0.015, t.intAdd(4), 1e-12, "adder ~ bits");
        assertEquals(0.1, t.intAdd(32), 1e-12);
        assertEquals(0.03 + 0.07 / 3, t.intAdd(16), 1e-12, "linear between the 8- and 32-bit figures");
    }

    @Test
    void energyTableOverrideReplacesTheNamedKeysAndLabelsTheSource() {
        EnergyTable t = EnergyTable.horowitz45nm().override("{\"dram_64b_pj\": 1300, \"int8_mult_pj\": 0.25}", "mine.json");
        assertEquals(1300, t.dram64Pj());
        assertEquals(0.25, t.int8MultPj());
        assertEquals(0.9, t.fp32AddPj(), "others kept");
        assertTrue(t.source().contains("mine.json") && t.source().contains("dram_64b_pj"), t.source());
        EnergyTable named = EnergyTable.horowitz45nm().override("{\"source\": \"my 7 nm table\", \"node_nm\": 7}", "x.json");
        assertEquals("my 7 nm table", named.source());
        assertEquals(7, named.nodeNm());
    }

    @Test
    void energyTableWithUnknownKeysNegativeOrNonNumericValuesIsRefusedNamingTheKey() {
        EnergyTable t = EnergyTable.horowitz45nm();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> t.override("{\"int8_add\": 0.03}", "f.json"));
        assertTrue(unknown.getMessage().contains("'int8_add'") && unknown.getMessage().contains("f.json"), unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> t.override("{\"sram_8kb_64b_pj\": -1}", "f.json"));
        assertTrue(negative.getMessage().contains("'sram_8kb_64b_pj'") && negative.getMessage().contains(">= 0"), negative.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> t.override("{\"fp32_mult_pj\": \"3.7\"}", "f.json"));
        assertTrue(text.getMessage().contains("'fp32_mult_pj'"), text.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.override("{\"node_nm\": 0}", "f.json"));
        assertThrows(IllegalArgumentException.class, () -> t.override("{\"source\": 3}", "f.json"));
        assertThrows(IllegalArgumentException.class, () -> t.override("[1, 2]", "f.json"));
        assertThrows(IllegalArgumentException.class, () -> t.override("{oops", "f.json"));
    }

    @Test
    void scalingToAnotherNodeScalesLogicAndSramByCvSquaredButNotDram() {
        EnergyTable t = EnergyTable.horowitz45nm().scaledTo(22.5, 0.45);
        double f = 0.5 * 0.25;
        assertEquals(0.2 * f, t.int8MultPj(), 1e-12);
        assertEquals(10 * f, t.sram8kb64Pj(), 1e-12);
        assertEquals(1950, t.dram64Pj(), 1e-12);
        assertTrue(t.source().contains("22.5 nm"), t.source());
        assertEquals(EnergyTable.horowitz45nm(), EnergyTable.horowitz45nm().scaledTo(45, 0.9));
    }

    @Test
    void rooflineIsTheSlowerOfComputeAndMemoryAndPowerTimesTime() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("dense", new int[] {4}, 2, List.of(3), 0f, false), backend, 1)) {
            EnergyModel.Estimate e = EnergyModel.estimate(NetworkGraph.of(m), new EnergyModel.Precision(8, 8, 32), EnergyTable.horowitz45nm());
            DeviceProfile a100 = DeviceProfile.sm80();
            DeviceProfile.Roofline r = a100.roofline(e);
            assertEquals(2.0 * 18 / 624e12, r.computeSeconds(), 1e-24);
            assertEquals(50 / 2039e9, r.memorySeconds(), 1e-24);
            assertEquals("memory", r.bound());
            assertEquals(r.seconds() * 400 * 1e6, r.microjoules(), 1e-12);
            DeviceProfile.Roofline g = DeviceProfile.generic45nm().roofline(e);
            assertEquals(e.microjoules(), g.microjoules(), 1e-15, "the generic accelerator is priced by the energy table");
            EnergyModel.Estimate w4a4 = EnergyModel.estimate(NetworkGraph.of(m), new EnergyModel.Precision(4, 4, 32), EnergyTable.horowitz45nm());
            assertEquals(1248e12, a100.peakOps(w4a4.precision()), "int4 tensor cores where both widths fit");
            assertEquals(1979e12, DeviceProfile.sm90().peakOps(w4a4.precision()), "no int4 on H100: int8");
            assertEquals(19.5e12, a100.peakOps(EnergyModel.Precision.fp32()));
        }
        DeviceProfile cpu = DeviceProfile.cpu();
        assertTrue(cpu.int8Ops() >= cpu.fp32Ops() && cpu.fp32Ops() > 0, cpu.source());
        assertThrows(IllegalArgumentException.class, () -> DeviceProfile.named("tpu"));
    }
}
