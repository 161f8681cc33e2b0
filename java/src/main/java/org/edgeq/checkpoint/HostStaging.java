package org.edgeq.checkpoint;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves named tensors (a model's state dict) between their backend and host memory, because the file formats read
 * and write host memory only while a device backend's tensors refuse host access. Host tensors pass through as
 * they are, so the CPU path copies nothing extra.
 */
public final class HostStaging {
    private HostStaging() {
    }

    /** The tensors as host tensors: device ones downloaded through {@code backend} into copies owned by {@code scope}. */
    public static Map<String, Tensor> toHost(Backend backend, Map<String, Tensor> tensors, TensorScope scope) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.isHost()) {
                out.put(e.getKey(), t);
                continue;
            }
            requireF32(e.getKey(), t);
            float[] v = new float[Math.toIntExact(t.numel())];
            backend.download(t, v);
            out.put(e.getKey(), Tensor.of(scope, v, t.shape().dims()));
        }
        return out;
    }

    /** Host tensors shaped and typed as {@code targets}, owned by {@code scope}, for a reader to fill before {@link #upload}. */
    public static Map<String, Tensor> hostLike(Map<String, Tensor> targets, TensorScope scope) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : targets.entrySet()) out.put(e.getKey(), Tensor.host(scope, e.getValue().dtype(), e.getValue().shape().dims()));
        return out;
    }

    /** Copies each host tensor of {@code values} into the target of the same name through {@code backend}. */
    public static void upload(Backend backend, Map<String, Tensor> values, Map<String, Tensor> targets) {
        for (var e : targets.entrySet()) {
            Tensor src = values.get(e.getKey());
            if (src == null) throw new IllegalArgumentException("no host values for tensor '" + e.getKey() + "'");
            if (src.dtype() == DType.I32) backend.upload(src.toIntArray(), e.getValue());
            else {
                requireF32(e.getKey(), src);
                backend.upload(src.toFloatArray(), e.getValue());
            }
        }
    }

    /** True when every tensor already lives on the host. */
    public static boolean allHost(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) if (!t.isHost()) return false;
        return true;
    }

    private static void requireF32(String name, Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype() + "; only F32 tensors move between a device and the host");
        }
    }
}
