package org.edgeq.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host build of kernels-cu/test/host_check.cpp: compiles it with g++ (once per test class) and evaluates text
 * records through it, one result line per record (the protocol is in the .cpp file's header comment).
 */
final class HostCheckHarness {
    private final Path binary;

    private HostCheckHarness(Path binary) {
        this.binary = binary;
    }

    /** The repository's kernels-cu directory, searched upwards from the working directory; null if absent. */
    static Path findKernelsDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("kernels-cu");
            if (Files.isRegularFile(candidate.resolve("test/host_check.cpp"))) return candidate;
        }
        return null;
    }

    /** True when `g++ --version` runs. */
    static boolean gppAvailable() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Compiles the harness into dir. -ffp-contract=off and no -march: the float formulas must round every
     * operation as Java does (no fused multiply-add unless the formula asks for one). src/ is on the include path
     * for the GEMM kernel the harness emulates (one thread per CUDA thread, hence -pthread; it reads floats through
     * float4 pointers as the kernel does, hence -fno-strict-aliasing).
     */
    static HostCheckHarness compile(Path kernelsDir, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("host_check");
        List<String> cmd = List.of("g++", "-std=c++17", "-O2", "-ffp-contract=off", "-fno-strict-aliasing", "-pthread",
                "-Wall", "-Wextra", "-Werror", "-I" + kernelsDir.resolve("include"), "-I" + kernelsDir.resolve("src"),
                kernelsDir.resolve("test/host_check.cpp").toString(), "-o", out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("compiling host_check.cpp failed: " + String.join(" ", cmd) + "\n" + log);
        }
        return new HostCheckHarness(out);
    }

    /** Evaluates the records (one per element) and returns one result line per record. */
    List<String> run(List<String> records) throws IOException, InterruptedException {
        Path input = Files.createTempFile(binary.getParent(), "records", ".txt");
        Files.write(input, records, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(binary.toString()).redirectInput(input.toFile()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("host_check failed: " + stderr);
        }
        List<String> lines = new ArrayList<>(new String(stdout, StandardCharsets.UTF_8).lines().toList());
        if (lines.size() != records.size()) {
            throw new IllegalStateException("host_check answered " + lines.size() + " lines for " + records.size() + " records");
        }
        return lines;
    }

    static String hex(float f) {
        return "0x" + Integer.toHexString(Float.floatToRawIntBits(f));
    }

    static float floatOf(String hexBits) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(hexBits.substring(2), 16));
    }
}
