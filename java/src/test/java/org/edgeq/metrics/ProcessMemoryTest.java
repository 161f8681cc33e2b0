package org.edgeq.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessMemoryTest {

    @Test
    void readsTheHighWaterMarkInKibibytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9999999 kB", "VmHWM:\t  524288 kB", "VmRSS:\t  400000 kB");
        assertEquals(OptionalLong.of(512L * 1024 * 1024), ProcessMemory.peakResidentBytes(status));
    }

    @Test
    void aStatusWithoutOrWithAMalformedHighWaterMarkGivesNothing() {
        assertTrue(ProcessMemory.peakResidentBytes(List.of("VmRSS:\t 1 kB")).isEmpty());
        assertTrue(ProcessMemory.peakResidentBytes(List.of("VmHWM:\t lots kB")).isEmpty());
        assertTrue(ProcessMemory.peakResidentBytes(List.of("VmHWM:\t 12 MB")).isEmpty());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisProcessHasAPeakAtLeastAsLargeAsALiveArray() {
        byte[] touched = new byte[64 << 20];
        for (int i = 0; i < touched.length; i += 4096) touched[i] = 1;
        long peak = ProcessMemory.peakResidentBytes().orElseThrow();
        assertTrue(peak >= touched.length, "peak " + peak + " below a 64 MiB array just touched");
    }
}
