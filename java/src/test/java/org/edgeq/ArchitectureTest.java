package org.edgeq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's package rules, checked on every build: dependencies run one way, and nothing reaches the CUDA backend
 * but through {@code BackendProvider} and {@code NvmlProvider}. The CUDA backend's module checks the same over
 * itself and the core together (its ModuleBoundaryTest).
 */
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
     * The CUDA backend is a module of its own (java/backend-cuda) that depends on the core, so the core cannot
     * compile against it; this says so where a reader of the core's tests looks, and holds if the module's classes
     * ever end up on the core's class path. No exceptions: the NVML meter's loader moved into the module.
     */
    @Test
    void theCoreNeverUsesTheCudaBackend() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.edgeq.backend.cuda..",
                        "org.edgeq.bindings.cudart..", "org.edgeq.bindings.cublaslt..", "org.edgeq.bindings.nvml..",
                        "org.edgeq.bindings.edgeq..")
                .check(main);
    }

    /**
     * The core is a library without the command line: org.edgeq.cli and picocli live in the module java/cli, which
     * depends on the core, so a project that depends on the core (org.edgeq.api, examples/predict) gets neither. The
     * core's class path must not even hold picocli (the core's pom gains it only by mistake), and no core class may
     * name either package.
     */
    @Test
    void theCoreHasNoCommandLine() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("picocli.CommandLine"),
                "picocli is on the core's class path: only java/cli may depend on it");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.edgeq.cli..", "picocli..").check(main);
    }
}
