package org.edgeq.energy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate's arithmetic on a fake CPU-time source, the TDP table, and the carbon arithmetic. */
class CpuTimeEstimateMeterTest {

    @TempDir
    Path dir;

    @Test
    void energyIsCpuSecondsTimesTdpOverCores() {
        AtomicLong cpu = new AtomicLong(7_000_000_000L);
        AtomicLong wall = new AtomicLong(0);
        CpuPower power = new CpuPower(120, "--cpu-tdp-w", 8, "--cpu-cores");
        EnergyMeter.Measurement m = new CpuTimeEstimateMeter(power, cpu::get, wall::get, "no /sys/class/powercap").start();
        cpu.addAndGet(2_500_000_000L); // 2.5 s of CPU time, on two threads over 1.25 s of wall time
        wall.set(1_250_000_000L);
        EnergyReading r = m.stop();
        assertEquals(2.5 * 120 / 8, r.joules(), 1e-12, "2.5 s x 15 W per core");
        assertEquals(1.25, r.seconds(), 1e-12);
        assertEquals("estimate", r.source());
        assertTrue(r.detail().startsWith("process CPU time 2.500 s x 15 W per core = TDP 120 W (--cpu-tdp-w) / 8 cores (--cpu-cores)"), r.detail());
        assertTrue(r.detail().endsWith("an estimate, not a measurement; RAPL not used: no /sys/class/powercap"), r.detail());
        cpu.addAndGet(1_000_000_000L);
        assertEquals(2.5 * 15, m.stop().joules(), 1e-12, "a stopped measurement keeps its reading");
    }

    @Test
    void peekReadsTheRunningTotal() {
        AtomicLong cpu = new AtomicLong();
        EnergyMeter.Measurement m = new CpuTimeEstimateMeter(new CpuPower(100, "x", 10, "y"), cpu::get, cpu::get, null).start();
        cpu.set(1_000_000_000L);
        assertEquals(10.0, m.peek().joules(), 1e-12);
        cpu.set(3_000_000_000L);
        assertEquals(30.0, m.stop().joules(), 1e-12);
    }

    @Test
    void theTableIsKeyedByTheCpuinfoModelNameAsAWholeWord() throws Exception {
        assertEquals(150, CpuTdpTable.lookup("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz").orElseThrow().tdpWatts());
        assertEquals(Optional.empty(), CpuTdpTable.lookup("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz"), "6248R is another part");
        assertEquals(64, CpuTdpTable.lookup("AMD EPYC 7763 64-Core Processor").orElseThrow().cores());
        assertEquals(85, CpuTdpTable.lookup("Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz").orElseThrow().tdpWatts());
        assertEquals(Optional.empty(), CpuTdpTable.lookup("AMD EPYC"), "this machine's virtual CPU names no model");
        for (CpuTdpTable.Entry e : CpuTdpTable.ENTRIES) assertTrue(e.source().contains(e.tdpWatts() == Math.rint(e.tdpWatts())
                ? (long) e.tdpWatts() + " W" : "?"), "each value names its source with the value: " + e);

        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz\n");
        assertEquals(Optional.of("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz"), CpuTdpTable.modelName(cpuinfo));
        assertEquals(Optional.empty(), CpuTdpTable.modelName(dir.resolve("absent")));
    }

    @Test
    void theAssumedPowerComesFromTheOptionsElseTheTableElseTheGenericValue() {
        CpuPower known = CpuTdpTable.resolve(null, null, Optional.of("AMD EPYC 7742 64-Core Processor"), 2);
        assertEquals(225.0 / 64, known.wattsPerCore(), 1e-12);
        assertTrue(known.tdpSource().contains("amd.com"), known.tdpSource());

        CpuPower unknown = CpuTdpTable.resolve(null, null, Optional.of("AMD EPYC"), 2);
        assertEquals(85.0 / 2, unknown.wattsPerCore(), 1e-12, "CodeCarbon's 85 W over the 2 processors this process may use");
        assertTrue(unknown.tdpSource().contains("CodeCarbon") && unknown.tdpSource().contains("'AMD EPYC' is not in the table"), unknown.tdpSource());
        assertEquals("processors this process may use", unknown.coresSource());

        CpuPower given = CpuTdpTable.resolve(65.0, 4, Optional.of("AMD EPYC 7742 64-Core Processor"), 2);
        assertEquals(65.0 / 4, given.wattsPerCore(), 1e-12);
        assertEquals("--cpu-tdp-w", given.tdpSource());
        assertEquals("--cpu-cores", given.coresSource());
    }

    @Test
    void carbonIsKilowattHoursTimesGridIntensity() {
        assertEquals(436.0, CarbonIntensity.WORLD_2022.grams(3.6e6), 1e-9, "one kWh at the default");
        assertEquals(0.1, CarbonIntensity.given(360).grams(1000), 1e-12, "1 kJ = 1/3600 kWh at 360 g/kWh");
        assertEquals(0.0, CarbonIntensity.given(0).grams(5000), "a carbon-free grid");
        assertTrue(Double.isNaN(CarbonIntensity.WORLD_2022.grams(Double.NaN)), "no energy, no carbon figure");
        assertTrue(CarbonIntensity.WORLD_2022.source().contains("Ember"));
        assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.given(-1));
    }

    @Test
    void figuresGiveJoulesPerSampleAndTheJsonFields() {
        EnergyFigures f = new EnergyFigures(new EnergyReading(720, 10, "estimate", "d"), 7_200, CarbonIntensity.given(500));
        assertEquals(0.1, f.joulesPerSample(), 1e-12);
        assertEquals(0.1, f.carbonGrams(), 1e-12, "720 J = 0.0002 kWh x 500 g/kWh");
        assertEquals(java.util.List.of("energy_j", "energy_source", "energy_j_per_sample", "carbon_g", "grid_g_per_kwh", "energy_detail"),
                java.util.List.copyOf(f.jsonFields().keySet()));
        EnergyFigures both = f.plus(new EnergyFigures(new EnergyReading(80, 2, "estimate", "e"), 800, CarbonIntensity.given(500)));
        assertEquals(800, both.reading().joules(), 1e-12);
        assertEquals(12, both.reading().seconds(), 1e-12);
        assertEquals(8_000, both.samples());
        assertEquals(0.1, both.joulesPerSample(), 1e-12);
        assertTrue(Double.isNaN(new EnergyFigures(EnergyReading.unmeasured(1, "x"), 10, CarbonIntensity.WORLD_2022).joulesPerSample()));
        assertTrue(Double.isNaN(new EnergyFigures(new EnergyReading(1, 1, "rapl", ""), 0, CarbonIntensity.WORLD_2022).joulesPerSample()),
                "no samples: no per-sample figure");
    }

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        EnergyOptions d = EnergyOptions.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withCpuTdpWatts(-5.0)).getMessage().startsWith("--cpu-tdp-w"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withCpuTdpWatts(0.0)).getMessage().startsWith("--cpu-tdp-w"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withCpuCores(0)).getMessage().startsWith("--cpu-cores"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withSamplePeriod(java.time.Duration.ZERO)).getMessage().startsWith("--energy-sample-ms"));
    }
}
