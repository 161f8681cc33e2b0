package org.edgeq.backend;

/**
 * The conformance suite through {@link HostDeviceSimulationBackend}: proves the suite itself reaches tensors only
 * through upload and download (and {@link #readInts}), as it must to run unchanged on the CUDA backend.
 */
class HostDeviceSimulationConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new HostDeviceSimulationBackend(2);
    }
}
