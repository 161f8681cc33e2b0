package org.edgeq.hwsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.edgeq.backend.cpu.WorkerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuIntGemmTest {
    private static final IntGemm NAIVE = new NaiveIntGemm();
    private static final int[] ACC_BITS = {32, 24, 16};

    private static WorkerPool pool;
    private static WorkerPool single;

    @BeforeAll
    static void startPools() {
        pool = new WorkerPool(2);
        single = new WorkerPool(1);
    }

    @AfterAll
    static void stopPools() {
        pool.close();
        single.close();
    }

    /** How the codes of a test matrix are drawn. */
    enum Codes {
        INT8, INT4, INT2, EXTREMES, ALL_MINUS_128, MIXED_ROWS;

        byte[] draw(SplittableRandom rnd, int rows, int k) {
            byte[] x = new byte[rows * k];
            for (int r = 0; r < rows; r++) {
                for (int p = 0; p < k; p++) {
                    x[r * k + p] = switch (this) {
                        case INT8 -> (byte) rnd.nextInt(-128, 128);
                        case INT4 -> (byte) rnd.nextInt(-8, 8);
                        case INT2 -> (byte) rnd.nextInt(-2, 2);
                        case EXTREMES -> rnd.nextBoolean() ? (byte) 127 : (byte) -128;
                        case ALL_MINUS_128 -> (byte) -128;
                        // Some rows tiny, some full range: tiles that may saturate beside tiles that cannot.
                        case MIXED_ROWS -> r % 5 == 2 ? (byte) rnd.nextInt(-128, 128) : (byte) rnd.nextInt(-1, 2);
                    };
                }
            }
            return x;
        }
    }

    static Stream<CpuIntGemm.Kernel> kernels() {
        return Stream.of(CpuIntGemm.Kernel.values());
    }

    private static CpuIntGemm fast(CpuIntGemm.Kernel kernel, WorkerPool threads) {
        if (kernel == CpuIntGemm.Kernel.NATIVE_VNNI) {
            Assumptions.assumeTrue(CpuIntGemm.nativeUnavailableReason().isEmpty(),
                    () -> "native kernel skipped: " + CpuIntGemm.nativeUnavailableReason().orElseThrow());
        }
        return new CpuIntGemm(threads, kernel);
    }

    /** Runs one problem through the naive oracle and the fast GEMM and requires equal C and equal counts. */
    private static void assertSameAsNaive(IntGemm fast, byte[] a, byte[] b, int m, int n, int k, int accBits,
                                          String what) {
        int[] want = new int[m * n + 3];
        int[] got = new int[m * n + 3];
        Arrays.fill(want, 0x5A5A5A5A);
        Arrays.fill(got, 0x5A5A5A5A);
        long wantCount = NAIVE.gemm(a, b, want, m, n, k, accBits);
        long gotCount = fast.gemm(a, b, got, m, n, k, accBits);
        String label = what + " m=" + m + " n=" + n + " k=" + k + " accBits=" + accBits;
        assertArrayEquals(want, got, label + ": C (and the 3 ints past it, untouched)");
        assertEquals(wantCount, gotCount, label + ": saturation count");
    }

    static Stream<Arguments> awkwardShapes() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {
            {1, 1, 1}, {1, 7, 1}, {5, 1, 1}, {1, 1, 300}, {3, 5, 2}, {13, 33, 7}, {12, 32, 4}, {25, 65, 129},
            {11, 31, 513}, {4, 64, 385}, {37, 45, 1100}, {3, 5, 2049}, {17, 100, 64}, {130, 9, 27},
        };
        for (CpuIntGemm.Kernel kernel : CpuIntGemm.Kernel.values()) {
            for (Codes codes : Codes.values()) {
                for (int[] s : shapes) cases.add(Arguments.of(kernel, codes, s[0], s[1], s[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}x{4}")
    @MethodSource("awkwardShapes")
    void resultsAndSaturationCountsEqualTheStepwiseReferenceBitForBit(CpuIntGemm.Kernel kernel, Codes codes, int m,
                                                                     int n, int k) {
        IntGemm fast = fast(kernel, pool);
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k + codes.ordinal());
        byte[] a = codes.draw(rnd, m, k);
        byte[] b = codes.draw(rnd, n, k);
        for (int accBits : ACC_BITS) assertSameAsNaive(fast, a, b, m, n, k, accBits, kernel + " " + codes);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void problemsLargerThanEveryBlockAndSplitOverThreadsEqualTheReference(CpuIntGemm.Kernel kernel) {
        // More rows than a packed A block (192), more columns than a packed B block (512 Java, 1024 native:
        // 1100), k over two blocks (384 Java, 512 native): every loop of both kernels and both strip directions.
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{203, 1100, 37}, {1100, 45, 70}, {205, 70, 1030}};
        for (int[] s : shapes) {
            byte[] a = Codes.INT8.draw(rnd, s[0], s[2]);
            byte[] b = Codes.INT4.draw(rnd, s[1], s[2]);
            for (int accBits : ACC_BITS) {
                assertSameAsNaive(fast(kernel, pool), a, b, s[0], s[1], s[2], accBits, kernel + " 2 threads");
            }
            assertSameAsNaive(fast(kernel, single), a, b, s[0], s[1], s[2], 16, kernel + " 1 thread");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sixteenBitAccumulatorSaturatesOnTheSecondStepAndAThirtyTwoBitOneNever(CpuIntGemm.Kernel kernel) {
        // (-128)(-128) = 16384: two of them make 32768, one more than a 16-bit accumulator holds; then it stays at
        // 32767 (clamped again at every later step). A 32-bit accumulator holds all 10 exactly.
        byte[] a = new byte[10];
        byte[] b = new byte[10];
        Arrays.fill(a, (byte) -128);
        Arrays.fill(b, (byte) -128);
        int[] c = new int[1];
        IntGemm fast = fast(kernel, pool);
        assertEquals(9, fast.gemm(a, b, c, 1, 1, 10, 16));
        assertEquals(32767, c[0]);
        assertEquals(0, fast.gemm(a, b, c, 1, 1, 10, 32));
        assertEquals(163840, c[0]);
        // A sum that reaches the limit exactly is not a clamp: 127 * 127 + 127 * 127 + 127 * 3 + (-1) * (-128)
        // = 16129 + 16129 + 381 + 128 = 32767 = 2^15 - 1.
        byte[] a2 = {127, 127, 127, -1};
        byte[] b2 = {127, 127, 3, -128};
        assertEquals(0, fast.gemm(a2, b2, c, 1, 1, 4, 16));
        assertEquals(32767, c[0]);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void saturationThenRecoveryFollowsTheClampedRunningSum(CpuIntGemm.Kernel kernel) {
        // 24-bit: 600 steps of +16384 pass 2^23 - 1 = 8388607 at step 513, then 600 steps of -16256 walk back from
        // the clamped value (not from the unclamped 9830400) and pass the lower limit. Rows and columns repeated so
        // the tile runs full vectors and the edge path.
        int k = 1200;
        int m = 6;
        int n = 35;
        byte[] a = new byte[m * k];
        byte[] b = new byte[n * k];
        for (int r = 0; r < m; r++) {
            for (int p = 0; p < k; p++) a[r * k + p] = (byte) -128;
        }
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) b[j * k + p] = p < 600 ? (byte) -128 : (byte) (j % 2 == 0 ? 127 : 126);
        }
        assertSameAsNaive(fast(kernel, pool), a, b, m, n, k, 24, kernel.toString());
        assertSameAsNaive(fast(kernel, pool), a, b, m, n, k, 16, kernel.toString());
        int[] c = new int[m * n];
        assertTrue(fast(kernel, pool).gemm(a, b, c, m, n, k, 24) > 0);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void clampCountsPastThirtyTwoThousandPerOutputAreCountedInFull(CpuIntGemm.Kernel kernel) {
        // 40000 steps of +-16384 on a 16-bit accumulator clamp at almost every step: more events per output than
        // a short lane counts, so the kernel's counts must be emptied along the way. 3 rows (a pair and a single),
        // 70 columns (a full 64-column panel and an edge).
        int k = 40_000;
        int m = 3;
        int n = 70;
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] a = new byte[m * k];
        byte[] b = new byte[n * k];
        Arrays.fill(a, (byte) -128);
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextInt(20) < 19 ? (byte) -128 : (byte) 127;
        assertSameAsNaive(fast(kernel, pool), a, b, m, n, k, 16, kernel.toString());
        int[] c = new int[m * n];
        assertTrue(fast(kernel, pool).gemm(a, b, c, m, n, k, 16) > (long) m * n * 32767);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void thirtyTwoBitAccumulatorSaturatesOnlyBeyondOneHundredThirtyOneThousandSteps(CpuIntGemm.Kernel kernel) {
        int k = CpuIntGemm.NO_OVERFLOW_K_32 + 1000;
        assertEquals(131071, CpuIntGemm.NO_OVERFLOW_K_32);
        byte[] a = new byte[2 * k];
        byte[] b = new byte[3 * k];
        Arrays.fill(a, (byte) -128);
        Arrays.fill(b, (byte) -128);
        b[2 * k + 5] = 1; // a third column that also saturates, a step later
        Arrays.fill(b, k, 2 * k, (byte) 3); // a column that cannot saturate: |sum| <= 384 k
        assertSameAsNaive(fast(kernel, pool), a, b, 2, 3, k, 32, kernel.toString());
        assertSameAsNaive(fast(kernel, pool), a, b, 2, 3, CpuIntGemm.NO_OVERFLOW_K_32, 32, kernel + " at the bound");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void emptyProblemsWriteZerosAndCountNothing(CpuIntGemm.Kernel kernel) {
        IntGemm fast = fast(kernel, pool);
        int[] c = {7, 7, 7, 7, 7, 7, 7};
        assertEquals(0, fast.gemm(new byte[0], new byte[0], c, 2, 3, 0, 16));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 7}, c);
        assertEquals(0, fast.gemm(new byte[0], new byte[4], c, 0, 2, 2, 16));
        assertEquals(0, fast.gemm(new byte[4], new byte[0], c, 2, 0, 2, 16));
    }

    @Test
    void badArgumentsAreRefusedWithOneLineNamingTheArgument() {
        for (IntGemm gemm : new IntGemm[] {NAIVE, new CpuIntGemm(pool, CpuIntGemm.Kernel.VECTOR_API)}) {
            byte[] a = new byte[6];
            byte[] b = new byte[6];
            int[] c = new int[4];
            assertRefused(NullPointerException.class, "a (A [m, k]) is null", () -> gemm.gemm(null, b, c, 2, 2, 3, 32));
            assertRefused(NullPointerException.class, "b (B [n, k]) is null", () -> gemm.gemm(a, null, c, 2, 2, 3, 32));
            assertRefused(NullPointerException.class, "c (C [m, n]) is null", () -> gemm.gemm(a, b, null, 2, 2, 3, 32));
            assertRefused(IllegalArgumentException.class, "m, n, k must be >= 0, got m=-1 n=2 k=3",
                    () -> gemm.gemm(a, b, c, -1, 2, 3, 32));
            assertRefused(IllegalArgumentException.class, "accBits must be 32, 24 or 16, got 8",
                    () -> gemm.gemm(a, b, c, 2, 2, 3, 8));
            assertRefused(IllegalArgumentException.class, "a holds 6 codes, A [m=3, k=3] needs 9",
                    () -> gemm.gemm(a, b, new int[6], 3, 2, 3, 24));
            assertRefused(IllegalArgumentException.class, "b holds 6 codes, B [n=3, k=3] needs 9",
                    () -> gemm.gemm(a, b, new int[6], 2, 3, 3, 24));
            assertRefused(IllegalArgumentException.class, "c holds 4 ints, C [m=2, n=3] needs 6",
                    () -> gemm.gemm(a, new byte[9], c, 2, 3, 3, 16));
        }
        assertRefused(NullPointerException.class, "CpuIntGemm: pool is null",
                () -> new CpuIntGemm(null, CpuIntGemm.Kernel.VECTOR_API));
    }

    private static void assertRefused(Class<? extends RuntimeException> type, String message, Runnable call) {
        RuntimeException e = assertThrows(type, call::run);
        assertTrue(e.getMessage().contains(message), "message \"" + e.getMessage() + "\" should contain " + message);
        assertTrue(e.getMessage().startsWith("IntGemm: ") || e.getMessage().startsWith("CpuIntGemm: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void nativeKernelIsUsedWhereThisCpuHasAvx512VnniAndTheBuildPackedTheLibrary() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        boolean vnni = Files.isReadable(cpuinfo) && Files.readAllLines(cpuinfo).stream()
                .filter(l -> l.startsWith("flags"))
                .findFirst()
                .map(l -> List.of(l.split("\\s+")))
                .map(f -> f.contains("avx512f") && f.contains("avx512bw") && f.contains("avx512_vnni"))
                .orElse(false);
        boolean packaged = CpuIntGemm.class.getResource(NativeIntGemm.RESOURCE) != null;
        Assumptions.assumeTrue(vnni && packaged, "no AVX-512 VNNI here or no libedgeq_cpu.so in this build");
        assertEquals(java.util.Optional.empty(), CpuIntGemm.nativeUnavailableReason());
        CpuIntGemm best = new CpuIntGemm(pool);
        assertEquals(CpuIntGemm.Kernel.NATIVE_VNNI, best.kernel());
        assertEquals("native AVX-512 VNNI (libedgeq_cpu.so), 2 threads", best.describe());
    }
}
