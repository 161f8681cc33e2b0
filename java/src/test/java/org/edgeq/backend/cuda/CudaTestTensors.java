package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Tensor;

/** Reads device tensors the Backend SPI has no download for (I32), through the CUDA backend's own calls. */
final class CudaTestTensors {
    private CudaTestTensors() {
    }

    static int[] downloadInts(Backend backend, Tensor t) {
        // Until CudaBackend (branch cudabackend) is merged there is no CUDA backend instance to read from.
        throw new UnsupportedOperationException("reading I32 device tensors needs CudaBackend, not merged yet: " + backend.name() + " " + t);
    }
}
