package org.edgeq.bench;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few OpenBLAS entry points the benchmarks compare against ({@code cblas_sgemm} and thread/core queries),
 * bound through the FFM API from Debian's {@code libopenblas.so.0}; run {@code main} to print which kernel it uses.
 */
public final class OpenBlas {
    /** Debian's libopenblas0 installs this soname (through update-alternatives). */
    public static final String LIBRARY = "libopenblas.so.0";

    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int CBLAS_NO_TRANS = 111;
    private static final int CBLAS_TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getNumThreads;
    private final MethodHandle getCorename;
    private final MethodHandle getConfig;

    private OpenBlas(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        sgemm = linker.downcallHandle(find(lib, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i));
        setNumThreads = linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(i));
        getNumThreads = linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(i));
        MemorySegment corename = find(lib, "openblas_get_corename");
        MemorySegment config = find(lib, "openblas_get_config");
        // The returned C strings are static; an unbounded target layout lets getString read up to the NUL.
        AddressLayout cString = ValueLayout.ADDRESS.withTargetLayout(
                MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
        getCorename = linker.downcallHandle(corename, FunctionDescriptor.of(cString));
        getConfig = linker.downcallHandle(config, FunctionDescriptor.of(cString));
    }

    /** Loads OpenBLAS for the lifetime of the JVM, or fails saying which library is missing and how to get it. */
    public static OpenBlas load() {
        try {
            return new OpenBlas(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + LIBRARY + " (install Debian's libopenblas0: "
                    + "apt-get install -y libopenblas0): " + e.getMessage(), e);
        }
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(LIBRARY + " has no symbol " + name));
    }

    /** Row-major C = alpha * op(A) * op(B) + beta * C on native segments, like {@code CpuGemm.sgemm}. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            sgemm.invokeExact(CBLAS_ROW_MAJOR, transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
                    transB ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    public void setNumThreads(int threads) {
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    public int numThreads() {
        try {
            return (int) getNumThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /** The kernel family OpenBLAS picked for this CPU (e.g. SkylakeX, Cooperlake, Haswell). */
    public String coreName() {
        return cString(getCorename, "openblas_get_corename");
    }

    /** The build configuration string (version, threading model, target). */
    public String config() {
        return cString(getConfig, "openblas_get_config");
    }

    private static String cString(MethodHandle handle, String what) {
        try {
            MemorySegment s = (MemorySegment) handle.invokeExact();
            return s.getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(what + " failed", t);
        }
    }

    /** Prints the library's configuration, kernel and thread count, for the machine description of a run. */
    public static void main(String[] args) {
        OpenBlas blas = load();
        if (args.length > 0) blas.setNumThreads(Integer.parseInt(args[0]));
        System.out.println("openblas_config: " + blas.config());
        System.out.println("openblas_corename: " + blas.coreName());
        System.out.println("openblas_threads: " + blas.numThreads());
    }
}
