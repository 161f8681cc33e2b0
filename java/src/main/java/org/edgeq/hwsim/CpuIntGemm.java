package org.edgeq.hwsim;

import java.util.Arrays;
import java.util.Optional;
import org.edgeq.backend.cpu.WorkerPool;

/**
 * The fast {@link IntGemm} on the CPU: results and saturation counts equal {@link NaiveIntGemm}'s bit for bit, at
 * the speed of a packed, blocked, multi-threaded int8 kernel wherever no accumulator can saturate.
 *
 * <p>The kernel is libedgeq_cpu.so's AVX-512 VNNI GEMM ({@link Kernel#NATIVE_VNNI}) where it loads and the CPU runs
 * it, else a Java Vector API kernel on widened codes ({@link Kernel#VECTOR_API}); both compute exact sums modulo
 * 2^32. Around it:
 * <ul>
 *   <li>32-bit accumulator with k <= {@value #NO_OVERFLOW_K_32}: no partial sum can leave the int range (below),
 *       so there is no clamp to do and the count is 0;</li>
 *   <li>otherwise each output's partial sums are bounded from per-row magnitudes ({@link RowBounds}); where even
 *       the largest row magnitudes cannot reach the accumulator's limit the plain GEMM is the answer, else the plain
 *       GEMM is followed by the exact stepwise computation ({@link IntGemmStepwise}) of every tile holding an output
 *       whose bound reaches the limit; tiles whose outputs cannot saturate keep the plain result, which equals the
 *       stepwise one there with no clamp.</li>
 * </ul>
 * Work is split over the pool's threads in row or column strips; results do not depend on the thread count.
 */
public final class CpuIntGemm implements IntGemm {
    /**
     * The largest k for which a 32-bit accumulator cannot saturate on any int8 codes: a product lies in
     * [-128 * 127, 128 * 128] = [-16256, 16384], so every partial sum of k products lies in [-16256 k, 16384 k],
     * inside [-2^31, 2^31 - 1] when 16384 k <= 2^31 - 1, i.e. k <= 131071. (DECISIONS-9's k * 127 * 127 < 2^31
     * forgets the -128 code; this bound includes it.)
     */
    static final int NO_OVERFLOW_K_32 = (int) ((Integer.MAX_VALUE) / (128L * 128));
    /** Below this many multiply-adds handing work to other threads costs more than it saves. */
    static final long PARALLEL_WORK = 1L << 18;
    /** Rows and columns of the strips handed to threads: the micro-tile of both kernels on AVX-512. */
    private static final int ROW_STRIP = 12;
    private static final int COL_STRIP = 32;
    /** Row groups (of IntGemmStepwise.TR rows) per work item of the stepwise pass. */
    private static final int GROUPS_PER_ITEM = 128;

    private static final ThreadLocal<Panel> PANEL = ThreadLocal.withInitial(Panel::new);

    /** Which kernel computes the plain (non-saturating) sums. */
    public enum Kernel {
        /** libedgeq_cpu.so: vpdpbusd on AVX-512 VNNI, called through FFM. */
        NATIVE_VNNI,
        /** Java Vector API: int32 multiplies and adds on codes widened when packed. */
        VECTOR_API
    }

    private final WorkerPool pool;
    private final Kernel kernel;

    /** The fastest kernel available here (the native one where {@link #nativeUnavailableReason()} is empty). */
    public CpuIntGemm(WorkerPool pool) {
        this(pool, nativeUnavailableReason().isEmpty() ? Kernel.NATIVE_VNNI : Kernel.VECTOR_API);
    }

    /** A chosen kernel; NATIVE_VNNI where it cannot run is refused with the reason. */
    public CpuIntGemm(WorkerPool pool, Kernel kernel) {
        if (pool == null) throw new NullPointerException("CpuIntGemm: pool is null");
        if (kernel == null) throw new NullPointerException("CpuIntGemm: kernel is null");
        if (kernel == Kernel.NATIVE_VNNI) {
            nativeUnavailableReason().ifPresent(reason -> {
                throw new IllegalStateException("CpuIntGemm: the native VNNI kernel cannot run here: " + reason);
            });
        }
        this.pool = pool;
        this.kernel = kernel;
    }

    /** Empty when libedgeq_cpu.so's AVX-512 VNNI kernel runs on this machine; otherwise why not, in one line. */
    public static Optional<String> nativeUnavailableReason() {
        return NativeIntGemm.unavailableReason();
    }

    public Kernel kernel() {
        return kernel;
    }

    /** One line for reports: the kernel, why the native one is not used where it is not, and the threads. */
    public String describe() {
        String what = kernel == Kernel.NATIVE_VNNI ? "native AVX-512 VNNI (libedgeq_cpu.so)"
                : "Java Vector API" + nativeUnavailableReason().map(r -> " (native kernel unavailable: " + r + ")").orElse("");
        return what + ", " + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s");
    }

    @Override
    public long gemm(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits) {
        IntGemmArguments.check(a, b, c, m, n, k, accBits);
        if (m == 0 || n == 0) return 0;
        if (k == 0) {
            Arrays.fill(c, 0, m * n, 0);
            return 0;
        }
        if (accBits == 32 && k <= NO_OVERFLOW_K_32) {
            plain(a, b, c, m, n, k);
            return 0;
        }
        long max = IntGemmArguments.accumulatorMax(accBits);
        RowBounds rowsA = RowBounds.of(a, m, k);
        RowBounds rowsB = RowBounds.of(b, n, k);
        plain(a, b, c, m, n, k);
        if ((long) rowsA.maxAbsAll() * rowsB.maxAbsAll() * k <= max) return 0;
        return accBits == 32 ? stepwise32(a, b, c, m, n, k, rowsA, rowsB)
                : stepwise(a, b, c, m, n, k, accBits, (int) max, rowsA, rowsB);
    }

    /** C = A B^T modulo 2^32 with the kernel, in row or column strips over the pool. */
    private void plain(byte[] a, byte[] b, int[] c, int m, int n, int k) {
        int threads = pool.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_WORK) {
            block(a, b, c, n, k, 0, m, 0, n);
            return;
        }
        int rowStrips = ceilDiv(m, ROW_STRIP);
        int colStrips = ceilDiv(n, COL_STRIP);
        if (rowStrips >= colStrips) {
            pool.parallelFor(rowStrips, 1, (from, to) ->
                    block(a, b, c, n, k, from * ROW_STRIP, Math.min(m, to * ROW_STRIP), 0, n));
        } else {
            pool.parallelFor(colStrips, 1, (from, to) ->
                    block(a, b, c, n, k, 0, m, from * COL_STRIP, Math.min(n, to * COL_STRIP)));
        }
    }

    private void block(byte[] a, byte[] b, int[] c, int n, int k, int i0, int i1, int j0, int j1) {
        if (kernel == Kernel.NATIVE_VNNI) {
            NativeIntGemm.gemm(a, b, c, n, k, i0, i1, j0, j1);
        } else {
            IntGemmBlocked.run(a, b, c, n, k, i0, i1, j0, j1);
        }
    }

    /**
     * Recomputes stepwise every TR x TC tile holding an output whose partial sums may reach the 24- or 16-bit
     * limit; returns the clamp events. Work items are (column panel, run of row groups), counted per item and summed
     * in item order.
     */
    private long stepwise(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits, int max, RowBounds rowsA,
                          RowBounds rowsB) {
        int tr = IntGemmStepwise.TR;
        int tc = IntGemmStepwise.columns(accBits);
        int groups = ceilDiv(m, tr);
        int panels = ceilDiv(n, tc);
        boolean[] risky = riskyTiles(m, n, max, rowsA, rowsB, tr, tc, panels);
        int runs = ceilDiv(groups, GROUPS_PER_ITEM);
        int items = panels * runs;
        long[] events = new long[items];
        pool.parallelFor(items, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int panel = item / runs;
                int g0 = (item % runs) * GROUPS_PER_ITEM;
                int g1 = Math.min(groups, g0 + GROUPS_PER_ITEM);
                Panel packed = null;
                long count = 0;
                for (int g = g0; g < g1; g++) {
                    if (!risky[g * panels + panel]) continue;
                    if (packed == null) {
                        packed = PANEL.get().ensure(k * tc, accBits == 16);
                        IntGemmStepwise.packPanel(b, n, k, panel * tc, accBits, packed.ints, packed.shorts);
                    }
                    int i = g * tr;
                    count += IntGemmStepwise.tile(a, k, i, Math.min(tr, m - i), packed.ints, packed.shorts, c, n,
                            panel * tc, accBits, max);
                }
                events[item] = count;
            }
        });
        long total = 0;
        for (long e : events) total += e;
        return total;
    }

    /** risky[g * panels + p]: some output of row group g (tr rows) and column panel p (tc columns) has a bound above max. */
    private static boolean[] riskyTiles(int m, int n, long max, RowBounds rowsA, RowBounds rowsB, int tr, int tc,
                                        int panels) {
        boolean[] risky = new boolean[ceilDiv(m, tr) * panels];
        for (int i = 0; i < m; i++) {
            int row = (i / tr) * panels;
            for (int j = 0; j < n; j++) {
                if (rowsA.bound(i, rowsB, j) > max) risky[row + j / tc] = true;
            }
        }
        return risky;
    }

    /**
     * A 32-bit accumulator with k > {@value #NO_OVERFLOW_K_32} (a dot product of more than 131071 codes, which no
     * layer EdgeQ builds has): every output whose bound reaches 2^31 is recomputed one step at a time in a long.
     */
    private long stepwise32(byte[] a, byte[] b, int[] c, int m, int n, int k, RowBounds rowsA, RowBounds rowsB) {
        long max = Integer.MAX_VALUE;
        long min = Integer.MIN_VALUE;
        long[] events = new long[m];
        pool.parallelFor(m, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                long count = 0;
                for (int j = 0; j < n; j++) {
                    if (rowsA.bound(i, rowsB, j) <= max) continue;
                    long acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += a[i * k + p] * b[j * k + p];
                        if (acc > max) {
                            acc = max;
                            count++;
                        } else if (acc < min) {
                            acc = min;
                            count++;
                        }
                    }
                    c[i * n + j] = (int) acc;
                }
                events[i] = count;
            }
        });
        long total = 0;
        for (long e : events) total += e;
        return total;
    }

    /** A thread's packed B panel of the stepwise pass: ints (24 bits) or shorts (16 bits), grown on demand. */
    private static final class Panel {
        int[] ints = new int[0];
        short[] shorts = new short[0];

        Panel ensure(int size, boolean shortLanes) {
            if (shortLanes && shorts.length < size) shorts = new short[size];
            if (!shortLanes && ints.length < size) ints = new int[size];
            return this;
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
