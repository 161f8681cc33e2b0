package org.edgeq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package structure's rules, checked on every build: dependencies run one way, and CUDA internals stay inside. */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.edgeq");
        // A class-file version the importer cannot read would leave it with nothing to check, and every rule green.
        assertTrue(main.size() > 300, "imported only " + main.size() + " classes");
        assertTrue(main.contain("org.edgeq.backend.cpu.CpuBackend"), "the CPU backend was not imported");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("org.edgeq.(**)").should().beFreeOfCycles().check(main);
    }

    /**
     * Only the CUDA backend's own code reaches into {@code backend.cuda}: the rest finds it through its
     * {@code BackendProvider} (availability, device count, doctor's diagnostics). The one exception left is the NVML
     * energy meter, which loads NVML the way the backend loads its libraries, until the backend becomes a module of
     * its own (issue 13, item 3); a second fails this test.
     */
    @Test
    void onlyTheCudaBackendUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage("org.edgeq.backend.cuda..")
                .and().haveNameNotMatching("org\\.edgeq\\.energy\\.NvmlBindings(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.edgeq.backend.cuda..")
                .check(main);
    }
}
