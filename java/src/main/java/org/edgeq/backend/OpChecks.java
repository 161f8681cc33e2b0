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
}
