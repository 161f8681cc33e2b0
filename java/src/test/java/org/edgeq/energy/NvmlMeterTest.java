package org.edgeq.energy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NVML meter through a stand-in for the NVML calls: the counter path and the sampling path. */
class NvmlMeterTest {

    @Test
    void aDeviceWithAnEnergyCounterIsReadAtStartAndStop() {
        FakeNvml nvml = new FakeNvml(1, true);
        nvml.energyMillijoules = 5_000_000;
        NvmlMeter meter = new NvmlMeter(nvml, 0, Duration.ofMillis(100), nvml.clock);
        assertEquals(NvmlMeter.Mode.COUNTER, meter.mode());
        EnergyMeter.Measurement m = meter.start();
        nvml.energyMillijoules += 123_456;
        assertEquals(123.456, m.peek().joules(), 1e-9);
        nvml.energyMillijoules += 1_000;
        EnergyReading r = m.stop();
        assertEquals(124.456, r.joules(), 1e-9);
        assertEquals("nvml", r.source());
        assertTrue(r.detail().startsWith("NVML total energy counter of GPU 0 (Fake GPU 0)"), r.detail());
        assertEquals(0, nvml.powerCalls, "no power samples where the counter exists");
    }

    @Test
    void withoutACounterPowerSamplesOfALinearRampIntegrateToItsExactArea() throws Exception {
        FakeNvml nvml = new FakeNvml(1, false);
        // 80 W rising by 40 W per second: the energy over T seconds is 80 T + 20 T^2, which the trapezoid rule gets exactly.
        nvml.wattsAt = t -> 80 + 40 * (t / 1e9);
        NvmlMeter meter = new NvmlMeter(nvml, 0, Duration.ofMillis(2), nvml.clock);
        assertEquals(NvmlMeter.Mode.SAMPLING, meter.mode());
        EnergyMeter.Measurement m = meter.start();
        Thread.sleep(200); // the sampling thread takes samples meanwhile; each reads the fake clock 1 ms further on
        EnergyReading r = m.stop();
        double t = r.seconds();
        assertTrue(nvml.powerCalls > 10, "the thread sampled: " + nvml.powerCalls + " samples");
        assertEquals(80 * t + 20 * t * t, r.joules(), 1e-6, "area under the ramp over " + t + " s");
        assertTrue(r.detail().contains("sampled every 2 ms") && r.detail().contains("trapezoid"), r.detail());
        int calls = nvml.powerCalls;
        Thread.sleep(30);
        assertEquals(calls, nvml.powerCalls, "stop ends the sampling thread");
    }

    @Test
    void theIntegratorConvergesOnACurveWhoseIntegralIsKnown() {
        PowerIntegrator p = new PowerIntegrator();
        // 100 + 50 sin(2 pi t) W over one second, sampled every millisecond: 100 J (the sine integrates to zero).
        for (int i = 0; i <= 1000; i++) p.add(i * 1_000_000L, 100 + 50 * Math.sin(2 * Math.PI * i / 1000.0));
        assertEquals(100.0, p.joules(), 1e-9);
        assertEquals(1.0, p.seconds(), 1e-12);
        assertEquals(1001, p.samples());
        PowerIntegrator one = new PowerIntegrator();
        one.add(5, 300);
        assertEquals(0.0, one.joules(), "a single sample spans no time");
    }

    @Test
    void aPowerReadingThatFailsGivesAnUnmeasuredReadingWithNvmlsWords() {
        FakeNvml nvml = new FakeNvml(1, false);
        EnergyMeter.Measurement m = new NvmlMeter(nvml, 0, Duration.ofMillis(50), nvml.clock).start();
        nvml.powerFails = true;
        EnergyReading r = m.stop();
        assertTrue(Double.isNaN(r.joules()));
        assertTrue(r.detail().contains("nvmlDeviceGetPowerUsage: GPU is lost (NVML error 15)"), r.detail());
    }

    @Test
    void theFactoryMakesAMeterPerDeviceOrSaysWhyNvmlIsUnusable() {
        EnergyOptions o = EnergyOptions.defaults();
        Availability<List<EnergyMeter>> two = EnergyMeters.forCuda(o, Availability.available(new FakeNvml(2, true)));
        assertInstanceOf(Availability.Available.class, two);
        List<EnergyMeter> meters = ((Availability.Available<List<EnergyMeter>>) two).value();
        assertEquals(2, meters.size());
        assertEquals(1, ((NvmlMeter) meters.get(1)).device());
        assertTrue(meters.get(1).describe().startsWith("nvml: GPU 1 (Fake GPU 1), total energy counter"), meters.get(1).describe());

        Availability<List<EnergyMeter>> none = EnergyMeters.forCuda(o, Availability.unavailable("libnvidia-ml.so.1 not found (NVML): gone"));
        assertEquals("libnvidia-ml.so.1 not found (NVML): gone", assertInstanceOf(Availability.Unavailable.class, none).reason());

        EnergyMeter missingDevice = EnergyMeters.forCudaDevice(3, o, Availability.available(new FakeNvml(1, true)));
        assertEquals("none", missingDevice.source());
        assertTrue(missingDevice.describe().contains("nvmlDeviceGetHandleByIndex_v2(3): Invalid Argument"), missingDevice.describe());
    }

    /** The core alone has no NVML: only the CUDA backend's module provides it (its CudaNvmlProviderTest). */
    @Test
    void withoutTheCudaModuleTheGpuMeterSaysTheModuleIsAbsent() {
        EnergyMeter m = EnergyMeters.forCudaDevice(0, EnergyOptions.defaults());
        assertEquals("none: GPU energy not measured: " + NvmlProviders.ABSENT, m.describe());
        EnergyReading r = m.start().stop();
        assertTrue(Double.isNaN(r.joules()));
        assertEquals("none", r.source());
        Availability<List<EnergyMeter>> none = EnergyMeters.forCuda(EnergyOptions.defaults());
        assertEquals(NvmlProviders.ABSENT, assertInstanceOf(Availability.Unavailable.class, none).reason());
    }

    @Test
    void theCudaBackendsDeviceZeroIsNvmlsFirstVisibleDevice() {
        assertEquals(0, EnergyMeters.nvmlIndexOfFirstVisibleGpu(null));
        assertEquals(2, EnergyMeters.nvmlIndexOfFirstVisibleGpu("2,3"));
        assertEquals(0, EnergyMeters.nvmlIndexOfFirstVisibleGpu("GPU-8a1c2f3e"));
    }
}
