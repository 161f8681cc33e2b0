package org.edgeq.backend.cuda;

import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaBackendProviderTest {

    private static final CudaLibraries.Status CUDART = new CudaLibraries.Status.Loaded(
            CudaLibraries.CUDART, "libcudart.so.13", Path.of("/opt/cuda/lib/libcudart.so.13"));
    private static final CudaLibraries.Status CUBLASLT = new CudaLibraries.Status.Loaded(
            CudaLibraries.CUBLASLT, "libcublasLt.so.12", Path.of("/opt/cuda/lib/libcublasLt.so.12"));
    private static final CudaLibraries.Status NO_CUDART = new CudaLibraries.Status.Missing(CudaLibraries.CUDART,
            "libcudart.so.13/.12 not found (CUDA runtime): libcudart.so.13: cannot open shared object file: No such file or directory");
    private static final CudaLibraries.Status NO_CUBLASLT = new CudaLibraries.Status.Missing(CudaLibraries.CUBLASLT,
            "libcublasLt.so.13/.12/.11 not found (cuBLASLt): libcublasLt.so.13: cannot open shared object file: No such file or directory");
    private static final CudaDevices ONE_GPU = new CudaDevices.Found(1, 13000, 13010);
    private static final CudaDevices NO_DEVICE = new CudaDevices.Failed("cudaGetDeviceCount: cudaErrorNoDevice: no CUDA-capable device is detected", 13010);

    private static Optional<String> reason(boolean packaged, CudaLibraries.Status cudart, CudaLibraries.Status cublasLt, CudaDevices devices) {
        return new CudaBackendProvider(() -> new CudaEnvironment(packaged, cudart, cublasLt, devices, "NVML absent")).unavailableReason();
    }

    @Test
    void aBuildWithoutTheKernelLibraryIsTheFirstReasonWhateverElseIsMissing() {
        assertEquals(Optional.of("this build has no libedgeq_cuda.so (built without nvcc)"),
                reason(false, NO_CUDART, NO_CUBLASLT, new CudaDevices.NotQueried("the CUDA runtime is not loaded")));
        assertEquals(Optional.of("this build has no libedgeq_cuda.so (built without nvcc)"), reason(false, CUDART, CUBLASLT, ONE_GPU));
    }

    @Test
    void aMissingCudaRuntimeIsReportedBeforeCublasLtAndDevices() {
        assertEquals(Optional.of(((CudaLibraries.Status.Missing) NO_CUDART).reason()),
                reason(true, NO_CUDART, NO_CUBLASLT, new CudaDevices.NotQueried("the CUDA runtime is not loaded")));
    }

    @Test
    void aMissingCublasLtDoesNotBlockBecauseOurKernelsRunEveryGemm() {
        assertEquals(Optional.empty(), reason(true, CUDART, NO_CUBLASLT, ONE_GPU));
        String r = reason(true, CUDART, NO_CUBLASLT, NO_DEVICE).orElseThrow();
        assertTrue(r.startsWith("cudaGetDeviceCount: cudaErrorNoDevice"), r);
    }

    @Test
    void noDeviceIsReportedWithTheCudaErrorNameAndMessage() {
        String r = reason(true, CUDART, CUBLASLT, NO_DEVICE).orElseThrow();
        assertTrue(r.startsWith("cudaGetDeviceCount: cudaErrorNoDevice: no CUDA-capable device is detected"), r);
        String noDriver = reason(true, CUDART, CUBLASLT, new CudaDevices.Failed(
                "cudaGetDeviceCount: cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version", 0)).orElseThrow();
        assertTrue(noDriver.contains("cudaErrorInsufficientDriver") && noDriver.endsWith("(no NVIDIA driver: cudaDriverGetVersion gives 0)"), noDriver);
    }

    @Test
    void withEverythingPresentThereIsNoReasonAndCreateOpensDeviceZero() {
        assertEquals(Optional.empty(), reason(true, CUDART, CUBLASLT, ONE_GPU));
        java.util.List<Integer> opened = new java.util.ArrayList<>();
        CudaBackendProvider provider = new CudaBackendProvider(() -> new CudaEnvironment(true, CUDART, CUBLASLT, ONE_GPU, "NVML absent"),
                device -> {
                    opened.add(device);
                    return new CudaBackend(new RecordingDevice(), GemmEngine.AUTO);
                });
        try (var backend = provider.create(7)) {
            assertEquals("cuda", backend.name());
        }
        assertEquals(java.util.List.of(0), opened, "device 0, whatever the thread count");
    }

    @Test
    void theGemmEnginePropertyIsReadCaseInsensitivelyAndRefusedWithTheChoices() {
        assertEquals(GemmEngine.KERNEL, CudaBackendProvider.gemmEngine("kernel"));
        assertEquals(GemmEngine.CUBLASLT, CudaBackendProvider.gemmEngine(" cuBLASLt "));
        assertEquals(GemmEngine.AUTO, CudaBackendProvider.gemmEngine("AUTO"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaBackendProvider.gemmEngine("fast"));
        assertEquals("-Dedgeq.cuda.gemm=fast: expected kernel, cublaslt or auto", e.getMessage());
    }

    @Test
    void createRefusesWithTheReasonWhenCudaCannotRun() {
        java.util.List<Integer> opened = new java.util.ArrayList<>();
        CudaBackendProvider provider = new CudaBackendProvider(() -> new CudaEnvironment(true, CUDART, CUBLASLT, NO_DEVICE, "NVML absent"),
                device -> {
                    opened.add(device);
                    throw new AssertionError("must not open");
                });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.create(1));
        assertTrue(e.getMessage().startsWith("cuda backend unavailable: cudaGetDeviceCount: cudaErrorNoDevice"), e.getMessage());
        assertTrue(opened.isEmpty());
    }

    @Test
    void versionsAreDecodedAsCudaEncodesThem() {
        assertEquals("13.0", CudaDevices.version(13000));
        assertEquals("12.8", CudaDevices.version(12080));
        assertEquals("none", CudaDevices.version(0));
        assertEquals("1 device (runtime 13.0, driver supports 13.1)", ONE_GPU.describe());
    }

    @Test
    void theRegisteredProviderRanksAboveTheCpuAndAutoFallsBackWithItsReason() {
        BackendProvider cuda = Backends.providers().getFirst();
        assertEquals("cuda", cuda.name());
        assertTrue(cuda.rank() > 0);
        Optional<String> reason = cuda.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(reason.isPresent(), "CUDA can run here: the fallback is not exercised");
        Backends.Choice auto = Backends.choose("auto");
        assertEquals("cpu", auto.provider().name());
        assertEquals(java.util.List.of("cuda unavailable (" + reason.get() + ")"), auto.skipped());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose("cuda"));
        assertEquals("cuda backend unavailable: " + reason.get(), e.getMessage());
    }

    @Test
    void probingThisMachineNeverThrowsAndAgreesWithItsOwnDetails() {
        CudaEnvironment here = CudaEnvironment.probe();
        String reason = here.blockingReason().orElseThrow();
        assertFalse(reason.isBlank());
        if (here.cudart() instanceof CudaLibraries.Status.Missing) {
            assertTrue(here.devices() instanceof CudaDevices.NotQueried, here.devices().toString());
        }
    }
}
