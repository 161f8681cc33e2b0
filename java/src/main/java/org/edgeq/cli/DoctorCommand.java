package org.edgeq.cli;

import jdk.incubator.vector.FloatVector;
import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code edgeq doctor}: what this machine offers EdgeQ (JDK, SIMD width, threads) and why CUDA is or is not usable. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Report the JDK, the Vector API's SIMD width, processors and CPU backend threads, and whether "
                + "the CUDA runtime, cuBLASLt and NVML libraries and an NVIDIA GPU are present (and if not, why not).", ""},
        footerHeading = "%nExample:%n",
        footer = {"  edgeq doctor --json | tail -n 1"})
final class DoctorCommand implements Callable<Integer> {

    /** Sonames tried per library, preferred (newest) first. */
    static final Map<String, List<String>> CUDA_LIBRARIES = Map.of(
            "cudart", List.of("libcudart.so.13", "libcudart.so.12"),
            "cublasLt", List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11"),
            "nvml", List.of("libnvidia-ml.so.1"));
    private static final List<String> LIBRARY_ORDER = List.of("cudart", "cublasLt", "nvml");
    static final Path GPU_DEVICE = Path.of("/dev/nvidia0");

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as one JSON object on the last line of stdout.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads the CPU backend would use (default: one per available processor).")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (threads < 0) throw new UsageException("--threads must be 0 (auto) or positive, got " + threads);
        Runtime.Version version = Runtime.version();
        String vendor = System.getProperty("java.vendor");
        String vm = System.getProperty("java.vm.name");
        int simdBits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int processors = Runtime.getRuntime().availableProcessors();

        List<String> backendLines = new ArrayList<>();
        Integer cpuThreads = null;
        String cpuDescription = null;
        Optional<String> cudaProviderReason = null;
        for (BackendProvider p : Backends.providers()) {
            Optional<String> reason = p.unavailableReason();
            backendLines.add(p.name() + " (rank " + p.rank() + "): " + reason.map(r -> "unavailable: " + r).orElse("available"));
            if (p.name().equals("cpu") && reason.isEmpty()) {
                try (Backend b = p.create(threads)) {
                    cpuDescription = b.description();
                } catch (Exception e) {
                    cpuDescription = "failed to start: " + Main.oneLine(e.getMessage());
                }
                cpuThreads = threads > 0 ? threads : processors;
            }
            if (p.name().equals("cuda")) cudaProviderReason = reason;
        }

        Map<String, NativeLibraryProbe.Result> libs = new LinkedHashMap<>();
        for (String lib : LIBRARY_ORDER) {
            for (String soname : CUDA_LIBRARIES.get(lib)) libs.put(soname, NativeLibraryProbe.probe(soname));
        }
        boolean gpuDevice = Files.exists(GPU_DEVICE);
        String conclusion = cudaConclusion(cudaProviderReason, libs, gpuDevice);

        if (json) {
            JsonLine line = new JsonLine()
                    .put("command", "doctor")
                    .put("jdk", version.toString())
                    .put("jdk_feature", version.feature())
                    .put("vendor", vendor)
                    .put("vm", vm)
                    .put("simd_bits", simdBits)
                    .put("float_lanes", lanes)
                    .put("processors", processors)
                    .put("cpu_backend", cpuDescription)
                    .put("cpu_threads", cpuThreads);
            Map<String, Object> libJson = new LinkedHashMap<>();
            libs.forEach((k, v) -> libJson.put(k, v.loadable() ? "loadable" : v.reason()));
            line.put("libraries", libJson)
                    .put("gpu_device", gpuDevice)
                    .put("cuda_available", conclusion == null)
                    .put("cuda", conclusion == null ? "CUDA backend available" : "CUDA backend unavailable: " + conclusion);
            out.println(line);
            return ExitCodes.OK;
        }
        out.println("EdgeQ doctor");
        out.printf("  JDK          %s (%s, %s)%n", version, vendor, vm);
        out.printf("  SIMD         Vector API preferred species: %d bits = %d floats per vector%n", simdBits, lanes);
        out.printf("  Processors   %d available%n", processors);
        out.printf("  CPU backend  %s%n", cpuDescription == null ? "not in this build" : cpuDescription
                + " (" + cpuThreads + " threads; change with --threads)");
        out.printf("  Backends     %s%n", backendLines.isEmpty() ? "none registered" : String.join("; ", backendLines));
        out.println("CUDA");
        libs.forEach((k, v) -> out.printf("  %-20s %s%n", k, v.describe()));
        out.printf("  %-20s %s%n", GPU_DEVICE, gpuDevice ? "present" : "absent (no NVIDIA GPU or driver visible)");
        out.println(conclusion == null ? "CUDA backend available" : "CUDA backend unavailable: " + conclusion);
        return ExitCodes.OK;
    }

    /** Null when CUDA can be used, else one line saying why not, most fundamental reason first. */
    static String cudaConclusion(Optional<String> providerReason, Map<String, NativeLibraryProbe.Result> libs, boolean gpuDevice) {
        List<String> missing = new ArrayList<>();
        for (String lib : LIBRARY_ORDER) {
            List<String> names = CUDA_LIBRARIES.get(lib);
            if (names.stream().noneMatch(n -> libs.get(n).loadable())) missing.add(String.join("/", names));
        }
        List<String> why = new ArrayList<>();
        if (providerReason == null) why.add("this build has no CUDA backend yet (it comes with issue 4)");
        else providerReason.ifPresent(why::add);
        if (!gpuDevice) why.add("no GPU device (" + GPU_DEVICE + " absent)");
        if (!missing.isEmpty()) why.add("libraries not loadable: " + String.join(", ", missing));
        return why.isEmpty() ? null : String.join("; ", why);
    }
}
