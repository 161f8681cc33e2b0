package org.edgeq.backend.cuda;

import org.edgeq.bindings.cublaslt.CublasLt;
import org.edgeq.bindings.cudart.CudaRuntime;
import org.edgeq.bindings.nvml.Nvml;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaLibrariesTest {

    private static final CudaLibraries.Library MISSING = new CudaLibraries.Library("test library", "edgeq_nothing",
            List.of("libedgeq-missing.so.3", "libedgeq-missing.so.2", "libedgeq-missing.so.1"));

    @Test
    void bindingClassesLoadAndTheirConstantsMatchTheHeadersWithoutAnyLibrary() {
        assertEquals(0, CudaRuntime.cudaSuccess());
        assertEquals(2, CudaRuntime.cudaErrorMemoryAllocation());
        assertEquals(1, CudaRuntime.cudaMemcpyHostToDevice());
        assertEquals(13000, CudaRuntime.CUDART_VERSION());
        assertEquals(0, CublasLt.CUBLAS_STATUS_SUCCESS());
        assertEquals(0, CublasLt.CUDA_R_32F());
        assertEquals(3, CublasLt.CUDA_R_8I());
        assertEquals(0, Nvml.NVML_SUCCESS());
        assertEquals(96, Nvml.NVML_DEVICE_NAME_V2_BUFFER_SIZE());
    }

    @Test
    void missingLibraryIsReportedByEverySonameTriedInsteadOfCrashing() {
        CudaLibraries.Status status = CudaLibraries.load(MISSING);
        CudaLibraries.Status.Missing missing = assertInstanceOf(CudaLibraries.Status.Missing.class, status);
        assertTrue(missing.reason().startsWith("libedgeq-missing.so.3/.2/.1 not found (test library)"), missing.reason());
        assertTrue(missing.reason().contains("libedgeq-missing.so.3: cannot open shared object file"),
                "the dynamic loader's own message for the preferred soname: " + missing.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaLibraries.require(MISSING));
        assertEquals(missing.reason(), e.getMessage());
    }

    @Test
    void cublasLtSonamesReadAsTheIssueNamesThem() {
        assertEquals("libcublasLt.so.13/.12/.11", CudaLibraries.CUBLASLT.sonameList());
        assertEquals("libcudart.so.13/.12", CudaLibraries.CUDART.sonameList());
    }

    @Test
    void onAMachineWithoutCudaTheRealLibrariesAreMissingWithTheirSonames() {
        CudaLibraries.Status status = CudaLibraries.load(CudaLibraries.CUBLASLT);
        assumeTrue(status instanceof CudaLibraries.Status.Missing, "cuBLASLt is installed here");
        assertTrue(((CudaLibraries.Status.Missing) status).reason().startsWith("libcublasLt.so.13/.12/.11 not found"));
    }

    @Test
    void callingABindingWhoseLibraryIsAbsentThrowsACatchableError() {
        assumeTrue(CudaLibraries.load(CudaLibraries.NVML) instanceof CudaLibraries.Status.Missing, "NVML is installed here");
        // The generated holder class fails to initialise on the missing symbol; the JVM survives it.
        assertThrows(Error.class, Nvml::nvmlShutdown);
    }

    @Test
    void aLoadedLibraryBecomesVisibleToTheBindingsLookupUnderItsFirstAvailableSoname() {
        CudaLibraries.Library zlib = new CudaLibraries.Library("zlib", "zlibVersion",
                List.of("libedgeq-missing.so.9", "libz.so.1"));
        assertTrue(CudaLibraries.findLoaded("zlibVersion").isEmpty(), "the loader lookup holds only what System.load put there");
        CudaLibraries.Status status = CudaLibraries.load(zlib);
        assumeTrue(status instanceof CudaLibraries.Status.Loaded, "libz.so.1 is not installed here");
        CudaLibraries.Status.Loaded loaded = (CudaLibraries.Status.Loaded) status;
        assertEquals("libz.so.1", loaded.soname());
        assertTrue(loaded.path().isAbsolute() && loaded.path().getFileName().toString().startsWith("libz.so"), loaded.path().toString());
        MemorySegment version = CudaLibraries.findLoaded("zlibVersion").orElseThrow();
        assertTrue(version.address() != 0);
    }
}
