package org.edgeq.cli;

import jdk.incubator.vector.FloatVector;
import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendDiagnostics;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code edgeq doctor}: what this machine offers EdgeQ (JDK, SIMD width, threads) and why CUDA is or is not usable. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Report the JDK, the Vector API's SIMD width, processors and CPU backend threads, and whether "
                + "the jar carries libedgeq_cuda.so, the CUDA runtime, cuBLASLt and NVML libraries load and a GPU answers "
                + "cudaGetDeviceCount; ends with the one line that says why the CUDA backend cannot run (the first blocking reason, "
                + "or that its module, edgeq-backend-cuda.jar, is absent).", ""},
        footerHeading = "%nExample:%n",
        footer = {"  edgeq doctor --json | tail -n 1"})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as one JSON object on the last line of stdout.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = Ranges.Threads.class,
            description = "Threads the CPU backend would use (default: one per available processor).")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime.Version version = Runtime.version();
        String vendor = System.getProperty("java.vendor");
        String vm = System.getProperty("java.vm.name");
        int simdBits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int processors = Runtime.getRuntime().availableProcessors();

        List<String> backendLines = new ArrayList<>();
        List<BackendDiagnostics> sections = new ArrayList<>();
        Integer cpuThreads = null;
        String cpuDescription = null;
        for (BackendProvider p : Backends.providers()) {
            Optional<String> reason = p.unavailableReason();
            backendLines.add(p.name() + " (rank " + p.rank() + "): " + reason.map(r -> "unavailable: " + r).orElse("available"));
            p.diagnostics().ifPresent(sections::add);
            if (p.name().equals("cpu") && reason.isEmpty()) {
                try (Backend b = p.create(threads)) {
                    cpuDescription = b.description();
                } catch (Exception e) {
                    cpuDescription = "failed to start: " + Main.oneLine(e.getMessage());
                }
                cpuThreads = threads > 0 ? threads : processors;
            }
        }

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
            for (BackendDiagnostics d : sections) d.json().forEach(line::put);
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
        for (BackendDiagnostics d : sections) {
            out.println(d.title());
            for (BackendDiagnostics.Line l : d.lines()) out.printf("  %-17s %s%n", l.label(), l.value());
            out.println(d.conclusion());
        }
        return ExitCodes.OK;
    }
}
