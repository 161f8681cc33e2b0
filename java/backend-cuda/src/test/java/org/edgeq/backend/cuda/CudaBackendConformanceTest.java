package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendConformanceTest;
import org.junit.jupiter.api.Tag;

/**
 * The whole Backend conformance suite on the CUDA backend (tag {@code gpu}; skipped with the provider's reason where
 * CUDA cannot run, which is every machine these tests have run on so far: it has not run on a GPU yet). The device's
 * reductions use a fixed grid since ABI 2 (kernels-cu/README.md), so repeated reductions are held to the CPU's
 * bit-for-bit standard; should a GPU legitimately differ, override {@code repeatedReductionTolerance()}.
 */
@Tag("gpu")
class CudaBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        GpuAssumptions.requireCuda(); // each test reports itself skipped, with the reason, where CUDA cannot run
        return new CudaBackendProvider().create(1);
    }

    @Override
    protected boolean checksParameterValues() {
        return false;
    }
}
