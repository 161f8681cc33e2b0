package org.edgeq.backend.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import org.edgeq.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line with this module on the class path: doctor's CUDA section comes from this provider's diagnostics,
 * and --backend auto / cuda give its reason (the core's CliTest shows the same commands without the module).
 */
class CudaCliTest {

    private record Run(int code, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        JsonNode lastJson() throws Exception {
            return new ObjectMapper().readTree(outLines().getLast());
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** ServiceLoader finds this module's provider, not the core's stand-in for an absent module. */
    private static BackendProvider cudaProvider() {
        return assertInstanceOf(CudaBackendProvider.class, Backends.providers().getFirst());
    }

    @Test
    void doctorJsonDescribesTheCudaLibrariesAndDevices() throws Exception {
        BackendProvider cuda = cudaProvider();
        Run r = run("doctor", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals(Runtime.version().feature(), j.get("jdk_feature").asInt());
        assertTrue(j.get("libraries").has("libcudart.so.13/.12") && j.get("libraries").has("libcublasLt.so.13/.12/.11"), j.toString());
        assertTrue(j.get("libedgeq_cuda_packaged").isBoolean() && j.get("cuda_device_status").isTextual() && j.get("nvml").isTextual(), j.toString());
        assertEquals(cuda.unavailableReason().isEmpty(), j.get("cuda_available").asBoolean());
        if (!j.get("cuda_available").asBoolean()) {
            assertEquals("CUDA backend unavailable: " + j.get("cuda_reason").asText(), j.get("cuda").asText());
        }
    }

    @Test
    void doctorHumanOutputEndsWithTheCudaConclusion() {
        BackendProvider cuda = cudaProvider();
        Run r = run("doctor");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("SIMD") && r.out().contains("libnvidia-ml.so.1") && r.out().contains("libcublasLt"), r.out());
        assertTrue(r.out().contains("libedgeq_cuda.so") && r.out().contains("devices"), r.out());
        String conclusion = cuda.unavailableReason().map(reason -> "CUDA backend unavailable: " + reason).orElse("CUDA backend available");
        assertEquals(conclusion, r.outLines().getLast());
    }

    @Test
    void autoBackendFallsBackToTheCpuWithTheProvidersReasonAndCudaIsRefusedWithIt() {
        Optional<String> unavailable = cudaProvider().unavailableReason();
        assumeTrue(unavailable.isPresent(), "CUDA can run here, so auto picks it and nothing falls back");
        String reason = unavailable.get();
        Run auto = run("train", "--epochs", "1", "--backend", "auto");
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.err().contains("backend: cuda unavailable (" + reason + "); using cpu"), auto.err());
        Run refused = run("train", "--epochs", "1", "--backend", "cuda");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--backend cuda: cuda backend unavailable: " + reason), refused.err());
        assertFalse(refused.err().contains("data:"), "refused before any data is read: " + refused.err());
    }
}
