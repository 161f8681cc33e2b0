package org.edgeq.bench;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.train.Trainer;

/**
 * The question of {@link QatEpochOverhead} (W8A8 QAT epoch / FP32 epoch of the MLP 784-512-256-10, CPU, 2 threads)
 * asked in a way this machine's slow periods cannot bias: JMH forks one JVM per benchmark method, minutes apart, so
 * the two epochs of its ratio can land in different periods. Here both models train in one JVM, one epoch each in
 * turn (ABBA order), and the answer is the median over rounds of the per-round ratio.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.edgeq.bench.QatEpochOverheadPaired [rounds] [warm-up rounds]}
 * (defaults 10 and 3); {@code bench/qat-paired.sh} runs it and records the answer.
 */
public final class QatEpochOverheadPaired {
    private QatEpochOverheadPaired() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Dataset data = MlpEpochFixture.randomData();
        try (Backend backend = new CpuBackend(2);
             Model fp32 = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
             Model qat = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
             QatHook hook = QatHook.prepare(qat, QatConfig.of(8, 8))) {
            int[] epoch = {0};
            Runnable fp32Epoch = () -> new Trainer(MlpEpochFixture.oneEpoch(++epoch[0])).train(fp32, data, null, null);
            Runnable qatEpoch = () -> new Trainer(MlpEpochFixture.oneEpoch(++epoch[0])).withHook(hook).train(qat, data, null, null);
            for (int r = 0; r < warmUp; r++) {
                fp32Epoch.run();
                qatEpoch.run();
            }
            double[] f = new double[rounds];
            double[] q = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean fp32First = r % 2 == 0;
                double first = seconds(fp32First ? fp32Epoch : qatEpoch);
                double second = seconds(fp32First ? qatEpoch : fp32Epoch);
                f[r] = fp32First ? first : second;
                q[r] = fp32First ? second : first;
                ratio[r] = q[r] / f[r];
            }
            System.out.printf("rounds %d (after %d warm-up rounds), CPU backend, 2 threads%n", rounds, warmUp);
            System.out.printf("fp32_epoch_s %.3f  qat_epoch_s %.3f  (medians)%n", RoundStatistics.median(f), RoundStatistics.median(q));
            System.out.printf("QAT epoch / FP32 epoch: median %.3f, quartiles %.3f .. %.3f (per round)%n", RoundStatistics.median(ratio),
                    RoundStatistics.quantile(ratio, 0.25), RoundStatistics.quantile(ratio, 0.75));
        }
    }

    private static double seconds(Runnable epoch) {
        long t0 = System.nanoTime();
        epoch.run();
        return (System.nanoTime() - t0) / 1e9;
    }

}
