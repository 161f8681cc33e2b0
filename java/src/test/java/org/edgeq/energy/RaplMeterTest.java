package org.edgeq.energy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The RAPL reader on fake powercap trees: domains counted, wraparound, missing domains, permission denied. */
class RaplMeterTest {

    @TempDir
    Path dir;

    private static final long RANGE = 262_143_328_850L; // a common max_energy_range_uj (about 262 kJ)

    private static RaplZones.Found found(FakePowercap tree) {
        Availability<RaplZones.Found> a = RaplZones.probe(tree.root, tree.reader());
        return (RaplZones.Found) assertInstanceOf(Availability.Available.class, a, a.toString()).value();
    }

    private static RaplMeter meter(FakePowercap tree, AtomicLong clock) {
        return new RaplMeter(found(tree), tree.reader(), Duration.ZERO, clock::get);
    }

    @Test
    void packageAndDramAreAddedWhileCoreIsReportedButNotCountedTwice() {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 1_000_000, RANGE)
                .zone("intel-rapl:0:0", "core", 500_000, RANGE)
                .zone("intel-rapl:0:1", "dram", 10_000, RANGE);
        AtomicLong clock = new AtomicLong(0);
        EnergyMeter.Measurement m = meter(tree, clock).start();
        tree.counter("intel-rapl:0", 13_500_000).counter("intel-rapl:0:0", 8_500_000).counter("intel-rapl:0:1", 1_010_000);
        clock.set(2_000_000_000L);
        EnergyReading r = m.stop();
        assertEquals(12.5 + 1.0, r.joules(), 1e-12, "package 12.5 J + dram 1.0 J; core (8 J) is inside the package");
        assertEquals(2.0, r.seconds(), 1e-12);
        assertEquals("rapl", r.source());
        assertTrue(r.detail().contains("package-0 12.500 J + dram 1.000 J"), r.detail());
        assertTrue(r.detail().contains("core 8.000 J"), r.detail());
    }

    @Test
    void aCounterThatWrappedAtMaxEnergyRangeCountsTheWayAroundNotANegativeJump() {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 999_000, 1_000_000);
        EnergyMeter.Measurement m = meter(tree, new AtomicLong()).start();
        tree.counter("intel-rapl:0", 500); // 1,000 uJ up to the range, then 500 after the wrap
        assertEquals(1_500e-6, m.stop().joules(), 1e-15);
        assertEquals(1_500, RaplZones.delta(999_000, 500, 1_000_000));
        assertEquals(300, RaplZones.delta(200, 500, 1_000_000), "no wrap: the plain difference");
    }

    @Test
    void readingsBetweenTwoWrapsAccumulateSoTheGuardPollsKeepEveryLap() {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("amd-rapl:0", "package-0", 900, 1_000);
        EnergyMeter.Measurement m = meter(tree, new AtomicLong()).start();
        tree.counter("amd-rapl:0", 800); // wrapped once: 100 + 800 = 900
        assertEquals(900e-6, m.peek().joules(), 1e-15);
        tree.counter("amd-rapl:0", 700); // wrapped again: 200 + 700 = 900 more
        assertEquals(1_800e-6, m.stop().joules(), 1e-15, "AMD's amd-rapl zones are read like intel-rapl's");
    }

    @Test
    void theGuardThreadReadsTheCountersOnItsOwn() throws Exception {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 900, 1_000);
        RaplMeter meter = new RaplMeter(found(tree), tree.reader(), Duration.ofMillis(5), System::nanoTime);
        EnergyMeter.Measurement m = meter.start();
        tree.counter("intel-rapl:0", 950);
        Thread.sleep(100); // the guard has read 950 by now
        tree.counter("intel-rapl:0", 100); // wrapped: 50 + 100
        Thread.sleep(100);
        tree.counter("intel-rapl:0", 50); // wrapped again: 900 + 50; without the guard's reads this would look like one lap
        assertEquals((50 + (50 + 100) + (900 + 50)) * 1e-6, m.stop().joules(), 1e-15);
    }

    @Test
    void missingDomainsAreSkippedWithANoteAndThePackageStillCounts() {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 0, RANGE)
                .zone("intel-rapl:0:0", "core", 0, RANGE);
        tree.root.resolve("intel-rapl:0:0").resolve("energy_uj").toFile().delete();
        RaplZones.Found f = found(tree);
        assertEquals(1, f.zones().size(), "only the package");
        assertTrue(f.notes().getFirst().contains("intel-rapl:0:0: no energy_uj"), f.notes().toString());
        EnergyMeter.Measurement m = meter(tree, new AtomicLong()).start();
        tree.counter("intel-rapl:0", 2_000_000);
        EnergyReading r = m.stop();
        assertEquals(2.0, r.joules(), 1e-12, "no dram domain: the package alone");
        assertTrue(r.detail().contains("no energy_uj"), r.detail());
    }

    @Test
    void noTreeNoZonesAndNoPackageEachSayWhy() {
        assertEquals("no " + dir.resolve("absent") + " (this kernel exposes no powercap tree: a virtual machine, or the intel_rapl driver is not loaded)",
                reason(RaplZones.probe(dir.resolve("absent"), RaplZones.FileReader.FILES)));
        FakePowercap empty = new FakePowercap(dir.resolve("empty"));
        assertTrue(reason(RaplZones.probe(empty.root, empty.reader())).startsWith("no RAPL zones (intel-rapl:*, amd-rapl:*) under"));
        FakePowercap dramOnly = new FakePowercap(dir.resolve("dram")).zone("intel-rapl:0:1", "dram", 5, RANGE);
        assertTrue(reason(RaplZones.probe(dramOnly.root, dramOnly.reader())).startsWith("no readable RAPL package domain"));
    }

    @Test
    void permissionDeniedIsSaidPlainlyWithTheFile() {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 0, RANGE).deny("intel-rapl:0", "energy_uj");
        String why = reason(RaplZones.probe(tree.root, tree.reader()));
        Path file = tree.root.resolve("intel-rapl:0").resolve("energy_uj");
        assertTrue(why.startsWith("permission denied reading " + file + " (since Linux 5.10 energy_uj is readable by root only"), why);
        assertTrue(why.contains("sudo chmod a+r " + file), why);
    }

    @Test
    void permissionDeniedOnTheRealFileSystemToo() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file; the stand-in reader covers this case");
        FakePowercap tree = new FakePowercap(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0, RANGE);
        Path file = tree.root.resolve("intel-rapl:0").resolve("energy_uj");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertTrue(reason(RaplZones.probe(tree.root, RaplZones.FileReader.FILES)).startsWith("permission denied reading " + file));
    }

    @Test
    void aCounterThatBecomesUnreadableMidRunGivesAnUnmeasuredReadingNotACrash() throws Exception {
        FakePowercap tree = new FakePowercap(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0, RANGE);
        EnergyMeter.Measurement m = meter(tree, new AtomicLong()).start();
        tree.deny("intel-rapl:0", "energy_uj");
        EnergyReading r = m.stop();
        assertTrue(Double.isNaN(r.joules()));
        assertEquals("none", r.source());
        assertTrue(r.detail().contains("permission denied"), r.detail());
    }

    private static String reason(Availability<?> a) {
        return assertInstanceOf(Availability.Unavailable.class, a).reason();
    }
}
