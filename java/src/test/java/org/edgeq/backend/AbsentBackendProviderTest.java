package org.edgeq.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The core's tests run without the CUDA module: Backends lists a stand-in for it that says it is absent. */
class AbsentBackendProviderTest {

    private static final String REASON = "CUDA backend module absent: edgeq-backend-cuda.jar is not on the class path";

    @Test
    void withoutTheCudaModuleCudaIsListedFirstAsAbsent() {
        List<BackendProvider> all = Backends.providers();
        BackendProvider cuda = assertInstanceOf(AbsentBackendProvider.class, all.getFirst());
        assertEquals("cuda", cuda.name());
        assertEquals(REASON, cuda.unavailableReason().orElseThrow());
        assertEquals(1, all.stream().filter(p -> p.name().equals("cuda")).count());
    }

    @Test
    void choosingItSaysTheModuleIsAbsentAndAutoFallsBackToTheCpu() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose("cuda"));
        assertEquals("cuda backend unavailable: " + REASON, e.getMessage());
        Backends.Choice auto = Backends.choose("auto");
        assertEquals("cpu", auto.provider().name());
        assertEquals("cuda unavailable (" + REASON + ")", auto.skipped().getFirst());
    }

    @Test
    void doctorsSectionCarriesTheVerdictUnderTheRealProvidersJsonNames() {
        BackendProvider absent = AbsentBackendProvider.MODULES.getFirst();
        BackendDiagnostics d = absent.diagnostics().orElseThrow();
        assertEquals("CUDA", d.title());
        assertEquals("CUDA backend unavailable: " + REASON, d.conclusion());
        assertEquals(List.of("cuda_available", "cuda_reason", "cuda"), List.copyOf(d.json().keySet()));
        assertFalse((Boolean) d.json().get("cuda_available"));
        assertEquals(REASON, d.json().get("cuda_reason"));
    }

    @Test
    void creatingItFailsWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AbsentBackendProvider.MODULES.getFirst().create(1));
        assertEquals("cuda backend unavailable: " + REASON, e.getMessage());
    }
}
