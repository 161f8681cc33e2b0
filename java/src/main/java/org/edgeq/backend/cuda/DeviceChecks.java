package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.OpChecks;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
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

    static void conv(String op, Tensor x, Tensor weight, Tensor y, String yName, ConvGeometry g) {
        if (g == null) throw new IllegalArgumentException(op + ": geometry must not be null");
        OpChecks.shape(op, "x", x, Shape.of(g.batch(), g.inChannels(), g.height(), g.width()));
        OpChecks.shape(op, "weight", weight, Shape.of(g.outChannels(), g.inChannels(), g.kernel(), g.kernel()));
        OpChecks.shape(op, yName, y, Shape.of(g.batch(), g.outChannels(), g.outHeight(), g.outWidth()));
    }

    /** {n, c, spatial} of a [N, C] or [N, C, H, W] batch-norm input. */
    static int[] batchNormDims(String op, Tensor x) {
        int rank = x.shape().rank();
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException(op + ": x must be [N, C] or [N, C, H, W], got " + x.shape());
        }
        return new int[]{x.dim(0), x.dim(1), rank == 4 ? x.dim(2) * x.dim(3) : 1};
    }

    static void grid(String op, int zeroPoint, int qmin, int qmax) {
        if (qmin < -65536 || qmax > 65536 || qmin >= qmax) {
            throw new IllegalArgumentException(op + ": need -65536 <= qmin < qmax <= 65536, got qmin=" + qmin + " qmax=" + qmax);
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException(op + ": zeroPoint " + zeroPoint + " outside [" + qmin + ", " + qmax + "]");
        }
    }

    static void scale(String op, float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException(op + ": scale must be finite and > 0, got " + scale);
    }

    /** The per-channel values the CPU backend refuses, checked on their host copies. */
    static void channelValues(String op, float[] scales, int[] zeroPoints, int qmin, int qmax) {
        for (int i = 0; i < scales.length; i++) {
            float s = scales[i];
            if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException(op + ": scales[" + i + "] must be finite and > 0, got " + s);
            int z = zeroPoints[i];
            if (z < qmin || z > qmax) throw new IllegalArgumentException(op + ": zeroPoints[" + i + "] = " + z + " outside [" + qmin + ", " + qmax + "]");
        }
    }
}
