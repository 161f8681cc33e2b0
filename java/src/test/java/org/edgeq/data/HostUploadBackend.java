package org.edgeq.data;

import org.edgeq.backend.ForwardingBackend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.tensor.Tensor;

/** A test-only single-threaded CPU backend (host tensors) that counts uploads, so tests can check the traffic. */
final class HostUploadBackend extends ForwardingBackend {
    int uploads;

    HostUploadBackend() {
        super(new CpuBackend(1));
    }

    @Override
    public void upload(float[] src, Tensor dst) {
        uploads++;
        super.upload(src, dst);
    }

    @Override
    public void upload(int[] src, Tensor dst) {
        uploads++;
        super.upload(src, dst);
    }
}
