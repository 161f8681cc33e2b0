package org.edgeq.bench;

import java.util.Optional;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.backend.cuda.CudaBackend;
import org.edgeq.backend.cuda.GemmEngine;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Opens the backends the GPU benchmarks compare, failing fast with the provider's own reason where CUDA cannot run
 * (JMH then reports the benchmark as failed in setup and goes on), and waits for queued device work so that a
 * measured invocation ends when the device is done, not when the launches were queued.
 */
final class GpuBackends {
    private GpuBackends() {
    }

    /** "cpu" (every core of this machine) or a registered provider by name ("cuda"). */
    static Backend open(String name) {
        if (name.equals("cpu")) return new CpuBackend(Runtime.getRuntime().availableProcessors());
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no backend named '" + name + "'"));
        Optional<String> reason = provider.unavailableReason();
        if (reason.isPresent()) throw new IllegalStateException(name + " backend unavailable: " + reason.get());
        return provider.create(1);
    }

    /** A one-element tensor that {@link #await} reads back. */
    static Tensor probe(Backend backend, TensorScope scope) {
        return backend.allocate(scope, DType.F32, 1);
    }

    /**
     * Returns once every op queued on {@code backend} has finished: {@link CudaBackend#synchronize} on CUDA; for any
     * other backend a value read back through its stream (a no-op wait on the CPU, whose ops are synchronous).
     * Benchmarks queue many launches per invocation so that the wait itself is negligible.
     */
    static void await(Backend backend, Tensor probe) {
        if (backend instanceof CudaBackend cuda) cuda.synchronize();
        else backend.minMax(probe, new float[2]);
    }

    /** The CUDA backend with a fixed f32 GEMM engine, after the provider has said CUDA can run here. */
    static CudaBackend openCuda(GemmEngine engine) {
        open("cuda").close();
        return new CudaBackend(0, engine);
    }
}
