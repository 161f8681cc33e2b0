package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Tensor;

/** Reads device tensors the Backend SPI has no download for (I32), through the CUDA backend's own call. */
final class CudaTestTensors {
    private CudaTestTensors() {
    }

    static int[] downloadInts(Backend backend, Tensor t) {
        int[] out = new int[Math.toIntExact(t.numel())];
        ((CudaBackend) backend).download(t, out);
        return out;
    }
}
