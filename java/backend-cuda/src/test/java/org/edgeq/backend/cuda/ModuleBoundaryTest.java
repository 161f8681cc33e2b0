package org.edgeq.backend.cuda;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundary, checked over the core and this module together (both are on this test's class path): no
 * package cycle across them, and only this module's packages use the CUDA backend and its bindings; everything else
 * reaches it through {@code BackendProvider} and {@code NvmlProvider}.
 */
class ModuleBoundaryTest {
    /** This module's packages: the backend and the jextract bindings of bindings/src. */
    private static final String[] MODULE = {"org.edgeq.backend.cuda..", "org.edgeq.bindings.cudart..",
            "org.edgeq.bindings.cublaslt..", "org.edgeq.bindings.nvml..", "org.edgeq.bindings.edgeq.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // Main classes only: the core's test-jar (its test helpers, on this class path too) is left out like test classes.
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.edgeq");
        // A class-file version the importer cannot read would leave it with nothing to check, and every rule green.
        assertTrue(main.size() > 300, "imported only " + main.size() + " classes");
        assertTrue(main.contain("org.edgeq.backend.cpu.CpuBackend"), "the core was not imported");
        assertTrue(main.contain("org.edgeq.backend.cuda.CudaBackend"), "this module was not imported");
        assertTrue(main.contain("org.edgeq.bindings.cudart.CudaRuntime"), "this module's bindings were not imported");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("org.edgeq.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void onlyThisModuleUsesTheCudaBackendAndItsBindings() {
        noClasses().that().resideOutsideOfPackages(MODULE)
                .should().dependOnClassesThat().resideInAnyPackage(MODULE)
                .check(main);
    }
}
