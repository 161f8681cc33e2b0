package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.Arrays;
import java.util.Random;

/**
 * Manual timing harness (not a test) for conv2d forward and backward on cnn-small-like layers:
 * {@code java -cp java/target/classes:java/target/test-classes --add-modules jdk.incubator.vector
 * org.edgeq.backend.cpu.ConvTiming [threads] [reps]}. Reports min and median over the repetitions after warm-up.
 */
public final class ConvTiming {
    /** Vector API code is very slow until C2 compiles it, so warm up well before timing. */
    private static final int WARMUP = 20;

    private ConvTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ConvGeometry[] layers = {
                new ConvGeometry(64, 32, 14, 14, 64, 3, 1, 1),
                new ConvGeometry(64, 1, 28, 28, 16, 3, 1, 1),
                new ConvGeometry(64, 16, 14, 14, 32, 3, 1, 1),
        };
        try (CpuBackend b = new CpuBackend(threads)) {
            System.out.println(b.description());
            for (ConvGeometry g : layers) time(b, g, reps);
        }
    }

    private static void time(CpuBackend b, ConvGeometry g, int reps) {
        Random r = new Random(1);
        try (TensorScope scope = new TensorScope()) {
            Tensor x = b.allocate(scope, DType.F32, g.batch(), g.inChannels(), g.height(), g.width());
            Tensor w = b.allocate(scope, DType.F32, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor bias = b.allocate(scope, DType.F32, g.outChannels());
            Tensor y = b.allocate(scope, DType.F32, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            Tensor dx = b.allocate(scope, DType.F32, x.shape()), dw = b.allocate(scope, DType.F32, w.shape());
            Tensor db = b.allocate(scope, DType.F32, g.outChannels());
            Tensor ws = b.allocate(scope, DType.F32, (int) b.conv2dWorkspaceFloats(g));
            for (Tensor t : new Tensor[]{x, w, y}) {
                for (long i = 0; i < t.numel(); i++) t.setFloat(i, (float) r.nextGaussian());
            }
            long[] fwd = new long[reps], bwd = new long[reps], bwdNoDx = new long[reps];
            for (int i = -WARMUP; i < reps; i++) {
                long t0 = System.nanoTime();
                b.conv2d(x, w, bias, y, g, ws);
                long t1 = System.nanoTime();
                b.conv2dBackward(x, w, y, dx, dw, db, g, ws);
                long t2 = System.nanoTime();
                b.conv2dBackward(x, w, y, null, dw, db, g, ws);
                long t3 = System.nanoTime();
                if (i >= 0) {
                    fwd[i] = t1 - t0;
                    bwd[i] = t2 - t1;
                    bwdNoDx[i] = t3 - t2;
                }
            }
            double gflop = 2.0 * g.macs() / 1e9;
            System.out.printf("N%d C%d %dx%d -> O%d k%d s%d p%d%n", g.batch(), g.inChannels(), g.height(), g.width(),
                    g.outChannels(), g.kernel(), g.stride(), g.padding());
            report("  forward", fwd, gflop);
            report("  backward (dx, dWeight, dBias)", bwd, 2 * gflop);
            report("  backward without dx (first layer)", bwdNoDx, gflop);
        }
    }

    private static void report(String what, long[] nanos, double gflop) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double min = s[0] / 1e6, median = s[s.length / 2] / 1e6;
        System.out.printf("%-38s min %7.2f ms  median %7.2f ms  (%.1f GFLOP/s at min)%n", what, min, median, gflop / (min / 1e3));
    }
}
