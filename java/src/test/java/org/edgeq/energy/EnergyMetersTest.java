package org.edgeq.energy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU factory: RAPL where its counters can be read, else the estimate saying why RAPL was not used. */
class EnergyMetersTest {

    @TempDir
    Path dir;

    private EnergyOptions options(Path powercap) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "model name\t: AMD EPYC 7742 64-Core Processor\n");
        return EnergyOptions.defaults().withPowercapRoot(powercap).withCpuinfo(cpuinfo);
    }

    @Test
    void aReadableTreeGivesTheRaplMeter() throws Exception {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0, 1L << 40);
        EnergyMeter m = EnergyMeters.forCpu(options(tree.root), tree.reader(), () -> 0);
        assertInstanceOf(RaplMeter.class, m);
        assertEquals("rapl", m.source());
        EnergyMeter.Measurement run = m.start();
        tree.counter("intel-rapl:0", 3_000_000);
        assertEquals(3.0, run.stop().joules(), 1e-12);
    }

    @Test
    void noTreeFallsBackToTheEstimateAndSaysWhy() throws Exception {
        AtomicLong cpu = new AtomicLong();
        EnergyMeter m = EnergyMeters.forCpu(options(dir.resolve("no-powercap")), RaplZones.FileReader.FILES, cpu::get);
        assertInstanceOf(CpuTimeEstimateMeter.class, m);
        assertTrue(m.describe().contains("RAPL not used: no " + dir.resolve("no-powercap")), m.describe());
        EnergyMeter.Measurement run = m.start();
        cpu.set(64_000_000_000L); // 64 CPU seconds on an EPYC 7742: 225 W / 64 cores = 3.515625 W per core
        EnergyReading r = run.stop();
        assertEquals(225.0, r.joules(), 1e-9);
        assertEquals("estimate", r.source());
    }

    @Test
    void anUnreadableTreeFallsBackToTheEstimateAndNamesTheFile() throws Exception {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 0, 1L << 40).zone("intel-rapl:0:0", "core", 0, 1L << 40)
                .deny("intel-rapl:0", "energy_uj").deny("intel-rapl:0:0", "energy_uj");
        EnergyMeter m = EnergyMeters.forCpu(options(tree.root), tree.reader(), () -> 0);
        assertInstanceOf(CpuTimeEstimateMeter.class, m);
        String file = tree.root.resolve("intel-rapl:0").resolve("energy_uj").toString();
        assertTrue(m.describe().contains("RAPL not used: permission denied reading " + file), m.describe());
        assertTrue(m.start().stop().detail().contains("RAPL not used: permission denied reading " + file));
    }

    @Test
    void thisMachineHasNoPowercapSoTheDefaultIsTheEstimate() {
        EnergyMeter m = EnergyMeters.forCpu(EnergyOptions.defaults());
        if (Files.isDirectory(RaplZones.DEFAULT_ROOT)) return; // a machine with powercap: either outcome is right
        assertEquals("estimate", m.source());
        assertTrue(m.describe().contains("RAPL not used: no /sys/class/powercap"), m.describe());
        assertEquals("estimate", EnergyMeters.forBackend("cpu", EnergyOptions.defaults()).source());
    }
}
