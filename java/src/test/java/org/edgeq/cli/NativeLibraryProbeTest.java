package org.edgeq.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryProbeTest {

    @Test
    void aLibraryEveryLinuxHasIsLoadable() {
        assertTrue(NativeLibraryProbe.probe("libc.so.6").loadable());
    }

    @Test
    void aMissingLibraryGetsTheDynamicLoadersOwnReason() {
        NativeLibraryProbe.Result r = NativeLibraryProbe.probe("libedgeq-no-such-library.so.7");
        assertFalse(r.loadable());
        assertTrue(r.reason().contains("libedgeq-no-such-library.so.7") && r.reason().contains("cannot open shared object file"), r.reason());
    }

    @Test
    void probeAnyReturnsTheFirstLoadableVersion() {
        assertTrue(NativeLibraryProbe.probeAny("libedgeq-missing.so.1", "libc.so.6").soname().equals("libc.so.6"));
        assertTrue(NativeLibraryProbe.probeAny("libedgeq-missing.so.1", "libedgeq-missing.so.2").soname().equals("libedgeq-missing.so.1"));
    }

    private static Map<String, NativeLibraryProbe.Result> libs(boolean loadable) {
        Map<String, NativeLibraryProbe.Result> m = new LinkedHashMap<>();
        for (var names : DoctorCommand.CUDA_LIBRARIES.values()) {
            for (String n : names) m.put(n, new NativeLibraryProbe.Result(n, loadable, loadable ? "" : "missing"));
        }
        return m;
    }

    @Test
    void cudaConclusionNamesEveryMissingPieceAndIsNullOnlyWhenAllArePresent() {
        String none = DoctorCommand.cudaConclusion(null, libs(false), false);
        assertTrue(none.contains("no CUDA backend yet") && none.contains("/dev/nvidia0") && none.contains("libcublasLt.so.13"), none);
        assertNull(DoctorCommand.cudaConclusion(Optional.empty(), libs(true), true));
        String noDevice = DoctorCommand.cudaConclusion(Optional.empty(), libs(true), false);
        assertTrue(noDevice.startsWith("no GPU device"), noDevice);
    }
}
