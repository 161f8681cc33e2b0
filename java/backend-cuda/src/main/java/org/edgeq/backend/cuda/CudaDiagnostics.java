package org.edgeq.backend.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.edgeq.backend.BackendDiagnostics;
import org.edgeq.backend.BackendDiagnostics.Line;

/** The CUDA section of {@code edgeq doctor}: library, runtime, cuBLASLt, devices, NVML, and why it cannot run. */
final class CudaDiagnostics {
    private CudaDiagnostics() {
    }

    static BackendDiagnostics of(CudaEnvironment cuda) {
        Optional<String> reason = cuda.blockingReason();
        String conclusion = reason.map(r -> "CUDA backend unavailable: " + r).orElse("CUDA backend available");
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("libedgeq_cuda.so", cuda.nativeLibraryPackaged()
                ? "packaged in the jar (" + CudaEnvironment.NATIVE_RESOURCE.substring(1) + ")"
                : "not packaged: this build has no libedgeq_cuda.so (built without nvcc)"));
        lines.add(new Line("CUDA runtime", CudaEnvironment.describe(cuda.cudart())));
        lines.add(new Line("cuBLASLt", CudaEnvironment.describe(cuda.cublasLt())));
        lines.add(new Line("devices", cuda.devices().describe()));
        lines.add(new Line("NVML", cuda.nvml()));
        Map<String, Object> libraries = new LinkedHashMap<>();
        for (CudaLibraries.Status status : List.of(cuda.cudart(), cuda.cublasLt(), CudaLibraries.load(CudaLibraries.NVML))) {
            libraries.put(status.library().sonameList(), libraryJson(status));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("libedgeq_cuda_packaged", cuda.nativeLibraryPackaged());
        json.put("libraries", libraries);
        json.put("cuda_devices", cuda.devices() instanceof CudaDevices.Found f ? f.count() : 0);
        json.put("cuda_device_status", cuda.devices().describe());
        json.put("nvml", cuda.nvml());
        json.put("cuda_available", reason.isEmpty());
        json.put("cuda_reason", reason.orElse(null));
        json.put("cuda", conclusion);
        return new BackendDiagnostics("CUDA", lines, json, conclusion);
    }

    private static Map<String, Object> libraryJson(CudaLibraries.Status status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", status.library().name());
        switch (status) {
            case CudaLibraries.Status.Loaded l -> {
                m.put("loaded", true);
                m.put("soname", l.soname());
                m.put("path", l.path().toString());
            }
            case CudaLibraries.Status.Missing missing -> {
                m.put("loaded", false);
                m.put("reason", missing.reason());
            }
        }
        return m;
    }
}
