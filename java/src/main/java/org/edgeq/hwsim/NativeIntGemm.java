package org.edgeq.hwsim;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.edgeq.bindings.edgeqcpu.EdgeqCpu;

/**
 * The AVX-512 VNNI int8 GEMM of libedgeq_cpu.so (native/cpu/) through FFM: the library is unpacked from the jar and
 * loaded once per JVM, and used only where it loaded, its ABI matches the bindings and this CPU runs AVX-512 VNNI;
 * otherwise {@link #unavailableReason()} says why in one line and callers use the Vector API kernel.
 *
 * <p>The GEMM is called as a critical downcall with heap access ({@link Linker.Option#critical(boolean)}): the
 * kernel reads the callers' {@code byte[]} and writes their {@code int[]} in place, with no copy to native memory.
 * A critical call holds off garbage collection while it runs, so tall problems are cut into row chunks of about
 * 2^28 multiply-adds (under a millisecond on one core here), but never fewer than 1024 rows, so that repacking B per
 * call stays negligible: a chunk of a very wide and deep problem can take a few milliseconds.
 */
final class NativeIntGemm {
    /** Where the Maven build packs the library inside the jar (native/cpu/build.sh). */
    static final String RESOURCE = "/native/linux-x86_64/libedgeq_cpu.so";
    /** Multiply-adds per critical call, above which a problem is cut into row chunks. */
    private static final long CALL_WORK = 1L << 28;
    /** Fewest rows per chunk: each call packs its B block again, which 1024 rows make negligible (< 4%). */
    private static final int MIN_CHUNK_ROWS = 1024;

    private static final ThreadLocal<byte[]> WORKSPACE = ThreadLocal.withInitial(() -> new byte[0]);

    private NativeIntGemm() {
    }

    /** Loaded on first use: the critical handle, or why there is none. */
    private static final class Library {
        static final String REASON;
        static final MethodHandle GEMM;

        static {
            String reason;
            MethodHandle gemm = null;
            try {
                reason = load();
                if (reason == null) {
                    gemm = Linker.nativeLinker().downcallHandle(EdgeqCpu.edgeq_cpu_gemm_s8s8s32$address(),
                            EdgeqCpu.edgeq_cpu_gemm_s8s8s32$descriptor(), Linker.Option.critical(true));
                }
            } catch (Throwable t) {
                // UnsatisfiedLinkError (a missing symbol or loader), IllegalCallerException (native access denied).
                reason = "libedgeq_cpu.so cannot be used: " + t;
            }
            REASON = reason;
            GEMM = gemm;
        }

        /** Unpacks and loads the library; null when it is usable, else the reason it is not. */
        private static String load() throws IOException {
            Path file;
            try (InputStream in = NativeIntGemm.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return "this build has no libedgeq_cpu.so (built without a C compiler that targets AVX-512 VNNI, "
                            + "or with -Dedgeq.skipNativeCpu=true)";
                }
                file = Files.createTempFile("libedgeq_cpu-", ".so");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(file.toString());
            int abi = EdgeqCpu.edgeq_cpu_abi_version();
            if (abi != EdgeqCpu.EDGEQ_CPU_ABI_VERSION()) {
                return "libedgeq_cpu.so has ABI version " + abi + " but the Java bindings were generated for "
                        + EdgeqCpu.EDGEQ_CPU_ABI_VERSION() + ": rebuild native/cpu and bindings/ from the same edgeq_cpu.h";
            }
            if (EdgeqCpu.edgeq_cpu_has_avx512_vnni() == 0) {
                return "this CPU does not run AVX-512 VNNI (avx512f, avx512bw and avx512vnni, with the OS saving zmm state)";
            }
            return null;
        }
    }

    /** Empty when the native kernel runs here; otherwise why not, in one line. */
    static Optional<String> unavailableReason() {
        return Optional.ofNullable(Library.REASON);
    }

    /**
     * C[i][j] = sum_p A[i][p] * B[j][p] modulo 2^32 for rows [i0, i1) and columns [j0, j1) of the row-major
     * A [m, k], B [n, k], C [m, n]; exact where the true sum fits in an int. Only after unavailableReason() was empty.
     */
    static void gemm(byte[] a, byte[] b, int[] c, int n, int k, int i0, int i1, int j0, int j1) {
        int cols = j1 - j0;
        long rowWork = (long) cols * k;
        int chunk = (int) Math.max(MIN_CHUNK_ROWS, CALL_WORK / Math.max(1, rowWork));
        MemorySegment bSeg = MemorySegment.ofArray(b).asSlice((long) j0 * k);
        for (int r0 = i0; r0 < i1; r0 += chunk) {
            int rows = Math.min(chunk, i1 - r0);
            long wsBytes = EdgeqCpu.edgeq_cpu_gemm_s8s8s32_workspace_bytes(rows, cols, k);
            byte[] ws = WORKSPACE.get();
            if (ws.length < wsBytes) {
                ws = new byte[(int) wsBytes];
                WORKSPACE.set(ws);
            }
            int status;
            try {
                status = (int) Library.GEMM.invokeExact(rows, cols, k,
                        MemorySegment.ofArray(a).asSlice((long) r0 * k), (long) k, bSeg, (long) k,
                        MemorySegment.ofArray(c).asSlice(((long) r0 * n + j0) * Integer.BYTES), (long) n,
                        MemorySegment.ofArray(ws), (long) ws.length);
            } catch (Throwable t) {
                throw new IllegalStateException("edgeq_cpu_gemm_s8s8s32 failed: " + t, t);
            }
            if (status != EdgeqCpu.EDGEQ_CPU_OK()) {
                // The Java side checked every argument the library checks: a refusal here is a bug on one side.
                throw new IllegalStateException("edgeq_cpu_gemm_s8s8s32 returned status " + status + " for rows=" + rows
                        + " cols=" + cols + " k=" + k);
            }
        }
    }
}
