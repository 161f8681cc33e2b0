package org.edgeq.backend;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * Argument checks shared by backends so that every backend rejects the same bad calls with the same messages:
 * each message names the operation, the argument and the shapes involved.
 */
public final class OpChecks {
    private OpChecks() {
    }

    /** A live tensor of the given dtype; {@code IllegalStateException} when its scope is closed. */
    public static void tensor(String op, String arg, Tensor t, DType dtype) {
        if (t == null) throw new IllegalArgumentException(op + ": " + arg + " must not be null");
        if (!t.segment().scope().isAlive()) {
            throw new IllegalStateException(op + ": " + arg + " " + t + " belongs to a closed TensorScope");
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": " + arg + " must be " + dtype + ", got " + t.dtype() + t.shape());
        }
        if (t.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + arg + " " + t.shape() + " has more than 2^31-1 elements");
        }
    }

    public static void f32(String op, String arg, Tensor t) {
        tensor(op, arg, t, DType.F32);
    }

    public static void i32(String op, String arg, Tensor t) {
        tensor(op, arg, t, DType.I32);
    }

    /** A host tensor, for backends that dereference memory on the CPU. */
    public static void host(String op, String arg, Tensor t) {
        if (!t.isHost()) throw new IllegalArgumentException(op + ": " + arg + " " + t + " is not a host tensor");
    }

    public static void sameNumel(String op, String aName, Tensor a, String bName, Tensor b) {
        if (a.numel() != b.numel()) {
            throw new IllegalArgumentException(op + ": " + aName + " " + a.shape() + " and " + bName + " " + b.shape()
                    + " differ in element count (" + a.numel() + " vs " + b.numel() + ")");
        }
    }

    public static void shape(String op, String arg, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + arg + " must have shape " + expected + ", got " + t.shape());
        }
    }

    public static void rank(String op, String arg, Tensor t, int rank) {
        if (t.shape().rank() != rank) {
            throw new IllegalArgumentException(op + ": " + arg + " must be " + rank + "-D, got " + t.shape());
        }
    }

    public static void numel(String op, String arg, Tensor t, long expected) {
        if (t.numel() != expected) {
            throw new IllegalArgumentException(op + ": " + arg + " " + t.shape() + " must have " + expected + " elements");
        }
    }

    public static void noAlias(String op, String aName, Tensor a, String bName, Tensor b) {
        if (a != null && b != null && a.numel() > 0
                && a.segment().address() == b.segment().address()) {
            throw new IllegalArgumentException(op + ": " + aName + " and " + bName + " must not share memory");
        }
    }

    /**
     * The problem size of {@link Backend#gemm}'s operands after checking that they are matrices, that op(a) [m, k]
     * times op(b) [k, n] fits c [m, n], and that c shares memory with neither input. Element types are the caller's
     * to check (host or device).
     */
    public static GemmDims gemm(String op, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        rank(op, "a", a, 2);
        rank(op, "b", b, 2);
        rank(op, "c", c, 2);
        int m = transA ? a.dim(1) : a.dim(0), k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0), n = transB ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException(op + ": op(a) [" + m + ", " + k + "] (a " + a.shape() + (transA ? "^T" : "")
                    + ") times op(b) [" + kb + ", " + n + "] (b " + b.shape() + (transB ? "^T" : "") + ") does not fit c " + c.shape());
        }
        noAlias(op, "a", a, "c", c);
        noAlias(op, "b", b, "c", c);
        return new GemmDims(m, n, k);
    }

    /** The sizes of one GEMM: op(A) is [m, k], op(B) is [k, n], C is [m, n]. */
    public record GemmDims(int m, int n, int k) {
    }

    // ---- operation checks every backend makes alike (shapes and parameters; element types and residency are each
    // backend's own), so CPU and CUDA refuse the same arguments with the same messages ----

    /** x, weight and y (or dy, named {@code yName}) shaped as convolution geometry {@code g} says. */
    public static void conv(String op, Tensor x, Tensor weight, Tensor y, String yName, ConvGeometry g) {
        if (g == null) throw new IllegalArgumentException(op + ": geometry must not be null");
        shape(op, "x", x, Shape.of(g.batch(), g.inChannels(), g.height(), g.width()));
        shape(op, "weight", weight, Shape.of(g.outChannels(), g.inChannels(), g.kernel(), g.kernel()));
        shape(op, yName, y, Shape.of(g.batch(), g.outChannels(), g.outHeight(), g.outWidth()));
    }

    /** The caller's convolution scratch holds at least the {@code need} floats its backend asked for. */
    public static void convWorkspace(String op, Tensor workspace, long need, ConvGeometry g) {
        if (workspace.numel() < need) {
            throw new IllegalArgumentException(op + ": workspace " + workspace.shape() + " smaller than the " + need
                    + " floats conv2dWorkspaceFloats(" + g + ") asks for");
        }
    }

    /** maxPool2d's input, output and argmax shaped as pooling geometry {@code g} says. */
    public static void maxPool2d(String op, Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        shape(op, "x", x, Shape.of(g.batch(), g.channels(), g.height(), g.width()));
        Shape out = Shape.of(g.batch(), g.channels(), g.outHeight(), g.outWidth());
        shape(op, "y", y, out);
        numel(op, "argmax", argmax, out.numel());
    }

    /** maxPool2dBackward's output gradient, argmax and input gradient shaped as {@code g} says. */
    public static void maxPool2dBackward(String op, Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) {
        Shape out = Shape.of(g.batch(), g.channels(), g.outHeight(), g.outWidth());
        shape(op, "dy", dy, out);
        numel(op, "argmax", argmax, out.numel());
        shape(op, "dx", dx, Shape.of(g.batch(), g.channels(), g.height(), g.width()));
    }

    /** {n, c, spatial} of a [N, C] or [N, C, H, W] batch-norm input. */
    public static int[] batchNormDims(String op, Tensor x) {
        int rank = x.shape().rank();
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException(op + ": x must be [N, C] or [N, C, H, W], got " + x.shape());
        }
        return new int[]{x.dim(0), x.dim(1), rank == 4 ? x.dim(2) * x.dim(3) : 1};
    }

    /** The integer grid of fake quantization: -65536 <= qmin < qmax <= 65536 and qmin <= zeroPoint <= qmax. */
    public static void quantGrid(String op, int zeroPoint, int qmin, int qmax) {
        if (qmin < -65536 || qmax > 65536 || qmin >= qmax) {
            throw new IllegalArgumentException(op + ": need -65536 <= qmin < qmax <= 65536, got qmin=" + qmin + " qmax=" + qmax);
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException(op + ": zeroPoint " + zeroPoint + " outside [" + qmin + ", " + qmax + "]");
        }
    }

    /** A fake-quantization step size: finite and positive. */
    public static void quantScale(String op, float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException(op + ": scale must be finite and > 0, got " + scale);
    }

    /**
     * The channel count along axis 0 of x, after checking that scales and zeroPoints hold one entry per channel and
     * that the grid is valid; their values are checked one by one with {@link #quantChannelValues}.
     */
    public static int quantChannels(String op, Tensor x, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        if (x.shape().rank() < 1) throw new IllegalArgumentException(op + ": x must have a channel axis, got " + x.shape());
        int c = x.dim(0);
        numel(op, "scales", scales, c);
        numel(op, "zeroPoints", zeroPoints, c);
        quantGrid(op, qmin, qmin, qmax);
        return c;
    }

    /** Every per-channel scale finite and positive and every zero point inside [qmin, qmax]. */
    public static void quantChannelValues(String op, float[] scales, int[] zeroPoints, int qmin, int qmax) {
        for (int i = 0; i < scales.length; i++) quantChannelValue(op, i, scales[i], zeroPoints[i], qmin, qmax);
    }

    /** Channel {@code channel}'s scale finite and positive and its zero point inside [qmin, qmax]. */
    public static void quantChannelValue(String op, int channel, float scale, int zeroPoint, int qmin, int qmax) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException(op + ": scales[" + channel + "] must be finite and > 0, got " + scale);
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException(op + ": zeroPoints[" + channel + "] = " + zeroPoint + " outside [" + qmin + ", " + qmax + "]");
        }
    }

    /** The channel count of an observer step: runningMins and runningMaxs hold C values, C divides x's elements. */
    public static int foldChannels(String op, Tensor x, Tensor runningMins, Tensor runningMaxs) {
        long c = runningMins.numel();
        numel(op, "runningMaxs", runningMaxs, c);
        if (c < 1) throw new IllegalArgumentException(op + ": need at least one channel, got " + runningMins.shape());
        if (c > 1 && (x.shape().rank() < 1 || x.dim(0) != c)) {
            throw new IllegalArgumentException(op + ": " + c + " channels need x with " + c + " along axis 0, got " + x.shape());
        }
        return (int) c;
    }

    /** The channel count of affineParams: all four tensors hold C values; the grid is valid. */
    public static int affineParamsChannels(String op, Tensor mins, Tensor maxs, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        long c = mins.numel();
        numel(op, "maxs", maxs, c);
        numel(op, "scales", scales, c);
        numel(op, "zeroPoints", zeroPoints, c);
        quantGrid(op, qmin, qmin, qmax);
        return (int) c;
    }
}
