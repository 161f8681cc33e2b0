package org.edgeq.backend.cpu;

import org.edgeq.backend.Backend;
import org.edgeq.backend.PruneDistillOpsConformanceTest;

/** Runs the pruning and distillation op conformance suite on the CPU backend. */
class CpuPruneDistillOpsTest extends PruneDistillOpsConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(3);
    }
}
