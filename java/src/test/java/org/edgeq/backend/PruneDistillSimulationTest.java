package org.edgeq.backend;

/** The pruning and distillation op suite through {@link HostDeviceSimulationBackend} (device-only tensors). */
class PruneDistillSimulationTest extends PruneDistillOpsConformanceTest {

    @Override
    protected Backend createBackend() {
        return new HostDeviceSimulationBackend(2);
    }
}
