package org.edgeq.backend.cuda;

import org.edgeq.backend.OpChecks;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;

/**
 * The CUDA backend's argument checks, run in Java before anything reaches the device: the same checks and messages
 * as the CPU backend ({@link OpChecks} plus the quantization and batch-norm rules), and one more, that every tensor
 * is a device tensor (a host tensor's address means nothing to a kernel).
 */
final class DeviceChecks {
    private DeviceChecks() {
    }

    static Tensor device(String op, String arg, Tensor t, DType dtype) {
        OpChecks.tensor(op, arg, t, dtype);
        if (t.isHost()) {
            throw new IllegalArgumentException(op + ": " + arg + " " + t + " is a host tensor; the cuda backend only takes"
                    + " tensors it allocated (copy host values in with upload)");
        }
        return t;
    }

    static Tensor f32(String op, String arg, Tensor t) {
        return device(op, arg, t, DType.F32);
    }

    static Tensor i32(String op, String arg, Tensor t) {
        return device(op, arg, t, DType.I32);
    }

    static Tensor f32OrNull(String op, String arg, Tensor t) {
        return t == null ? null : f32(op, arg, t);
    }

    static Tensor sameAs(String op, String arg, Tensor t, String refName, Tensor ref) {
        f32(op, arg, t);
        OpChecks.sameNumel(op, refName, ref, arg, t);
        return t;
    }

    static Tensor channels(String op, String arg, Tensor t, int c) {
        f32(op, arg, t);
        OpChecks.numel(op, arg, t, c);
        return t;
    }
}
