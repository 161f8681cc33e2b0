package org.edgeq.backend.cpu;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.util.Arrays;
import java.util.Random;

/**
 * Manual timing harness (not a test) for conv2d forward and backward on a cnn-small-like layer:
 * {@code java -cp java/target/classes:java/target/test-classes --add-modules jdk.incubator.vector
 * org.edgeq.backend.cpu.ConvTiming [threads] [reps]}.
 */
public final class ConvTiming {
    private ConvTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ConvGeometry g = new ConvGeometry(64, 32, 14, 14, 64, 3, 1, 1);
        Random r = new Random(1);
        try (TensorScope scope = new TensorScope(); CpuBackend b = new CpuBackend(threads)) {
            Tensor x = b.allocate(scope, DType.F32, 64, 32, 14, 14), w = b.allocate(scope, DType.F32, 64, 32, 3, 3);
            Tensor bias = b.allocate(scope, DType.F32, 64), y = b.allocate(scope, DType.F32, 64, 64, 14, 14);
            Tensor dx = b.allocate(scope, DType.F32, 64, 32, 14, 14), dw = b.allocate(scope, DType.F32, 64, 32, 3, 3);
            Tensor db = b.allocate(scope, DType.F32, 64);
            Tensor ws = b.allocate(scope, DType.F32, (int) b.conv2dWorkspaceFloats(g));
            for (Tensor t : new Tensor[]{x, w, y}) {
                for (long i = 0; i < t.numel(); i++) t.setFloat(i, (float) r.nextGaussian());
            }
            long[] fwd = new long[reps], bwd = new long[reps], im2col = new long[reps], dwOnly = new long[reps];
            for (int i = -2; i < reps; i++) {
                long t0 = System.nanoTime();
                b.conv2d(x, w, bias, y, g, ws);
                long t1 = System.nanoTime();
                b.conv2dBackward(x, w, y, dx, dw, db, g, ws);
                long t2 = System.nanoTime();
                for (int s = 0; s < g.batch(); s++) {
                    CpuConvolution.im2col(x.segment(), (long) s * 32 * 196, g, ws.segment(), 0, 196);
                    CpuConvolution.col2im(ws.segment(), 0, g, dx.segment(), (long) s * 32 * 196);
                }
                long t3 = System.nanoTime();
                b.conv2dBackward(x, w, y, null, dw, null, g, ws);
                long t4 = System.nanoTime();
                if (i >= 0) {
                    dwOnly[i] = t4 - t3;
                    fwd[i] = t1 - t0;
                    bwd[i] = t2 - t1;
                    im2col[i] = t3 - t2;
                }
            }
            double gflop = 2.0 * g.macs() / 1e9;
            System.out.println(b.description() + ", " + g);
            report("conv2d forward", fwd, gflop);
            report("conv2d backward (dx, dW, dBias)", bwd, 2 * gflop);
            report("conv2d backward, dWeight only", dwOnly, gflop);
            report("im2col + col2im alone, 1 thread, whole batch", im2col, 0);
        }
    }

    private static void report(String what, long[] nanos, double gflop) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double min = s[0] / 1e6, median = s[s.length / 2] / 1e6;
        System.out.printf("%-48s min %8.2f ms  median %8.2f ms%s%n", what, min, median,
                gflop > 0 ? String.format("  (%.1f GFLOP/s at min)", gflop / (min / 1e3)) : "");
    }
}
