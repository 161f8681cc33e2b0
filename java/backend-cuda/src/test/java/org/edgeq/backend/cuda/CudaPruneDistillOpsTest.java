package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.PruneDistillOpsConformanceTest;
import org.junit.jupiter.api.Tag;

/** The pruning and distillation op conformance suite on the CUDA backend (tag {@code gpu}; not yet run on a GPU). */
@Tag("gpu")
class CudaPruneDistillOpsTest extends PruneDistillOpsConformanceTest {

    @Override
    protected Backend createBackend() {
        GpuAssumptions.requireCuda(); // each test reports itself skipped, with the reason, where CUDA cannot run
        return new CudaBackendProvider().create(1);
    }
}
