package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendConformanceTest;
import org.edgeq.tensor.Tensor;
import org.junit.jupiter.api.Tag;

/**
 * The whole Backend conformance suite on the CUDA backend (tag {@code gpu}; skipped with the provider's reason where
 * CUDA cannot run, which is every machine these tests have run on so far: it has not run on a GPU yet).
 */
@Tag("gpu")
class CudaBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        GpuAssumptions.requireCuda(); // each test reports itself skipped, with the reason, where CUDA cannot run
        return new CudaBackendProvider().create(1);
    }

    /**
     * The per-tensor LSQ step sum adds per-block double totals with atomics (kernels-cu/README.md), so its last bits
     * depend on block order: tens of blocks of totals up to ~100 may differ by ~1e-12, hence 1e-10 (relative, or
     * absolute below 1).
     */
    @Override
    protected double repeatedReductionTolerance() {
        return 1e-10;
    }

    @Override
    protected int[] readInts(Tensor t) {
        return CudaTestTensors.downloadInts(backend, t);
    }
}
