package org.edgeq.study;

import org.edgeq.quant.observe.ObserverKind;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One compression variant of a trained model: what a study cell does to its base model, and what each row of the
 * compression commands is made by. Each variant says what it is in a canonical text (the part of a cell id that
 * names the recipe), how many rows it makes and how many steps of progress it reports (training epochs, then one
 * per row measured).
 */
public sealed interface Variant {

    /** The recipe as canonical text: every setting that changes the rows, in a fixed order and number format. */
    String canonical();

    /** A short name for people, e.g. rounding-uniform-4bit. */
    String label();

    /** The rows the variant makes. */
    default int rows() {
        return 1;
    }

    /** Steps of progress: training epochs, then one per row. */
    default long steps() {
        return rows();
    }

    /** Training settings of a variant that trains (fine-tuning, QAT, a student); null lr or batch: the model's own. */
    record Training(int epochs, Float lr, Integer batchSize) {
        String canonical() {
            return "epochs=" + epochs + " lr=" + (lr == null ? "-" : Float.toString(lr)) + " batch=" + (batchSize == null ? "-" : batchSize);
        }
    }

    /** The unmodified FP32 model, every run's first row. */
    record Baseline() implements Variant {
        @Override
        public String canonical() {
            return "fp32";
        }

        @Override
        public String label() {
            return "fp32";
        }
    }

    /**
     * Post-training quantization of the weights by {@code plan}, optionally with static activation quantization.
     *
     * @param actBits            activation width, null for weights only
     * @param perChannel         one scale, set or step per output channel instead of per tensor
     * @param observer           range observer of affine weights and of activations
     * @param calibrationBatches training batches that calibrate the activation ranges
     */
    record Ptq(PtqPlan plan, Integer actBits, boolean perChannel, ObserverKind observer, int calibrationBatches) implements Variant {
        @Override
        public String canonical() {
            return "ptq method=" + plan.method().cliName() + " set=" + (plan.set() == null ? "-" : plan.set().cliName())
                    + " bits=" + plan.bits() + " act=" + (actBits == null ? "-" : actBits) + " per-channel=" + perChannel
                    + " observer=" + observer.cliName() + " calibration=" + calibrationBatches;
        }

        @Override
        public String label() {
            return plan.dirName(actBits) + (perChannel ? "-per-channel" : "");
        }
    }

    /**
     * The base model quantized as 'edgeq hwsim' quantizes a trained FP32 model (batch norms folded, weights
     * symmetric per output channel, activations per tensor from {@code calibrationBatches} training batches) and run
     * with integer arithmetic only: an {@code accBits}-bit accumulator, requantization by the default double rounding.
     */
    record Hwsim(int weightBits, int actBits, int accBits, int calibrationBatches) implements Variant {
        public Hwsim {
            if (weightBits < 2 || weightBits > 8) throw new IllegalArgumentException("hwsim weight bits must be 2..8, got " + weightBits);
            if (actBits < 2 || actBits > 8) throw new IllegalArgumentException("hwsim activation bits must be 2..8, got " + actBits);
            if (accBits < 2 || accBits > 32) throw new IllegalArgumentException("hwsim accumulator bits must be 2..32, got " + accBits);
            if (calibrationBatches < 1) throw new IllegalArgumentException("hwsim needs at least one calibration batch, got " + calibrationBatches);
        }

        @Override
        public String canonical() {
            return "hwsim bits=" + weightBits + " act=" + actBits + " acc=" + accBits + " rounding=double calibration=" + calibrationBatches;
        }

        @Override
        public String label() {
            return "hwsim-w" + weightBits + "a" + actBits + "-acc" + accBits;
        }
    }

    /** EdgeQ's quantization-aware training: fake-quantized integer grids, straight-through gradients, optional LSQ. */
    record Qat(int bits, Integer actBits, boolean lsq, Training training) implements Variant {
        @Override
        public String canonical() {
            return "qat bits=" + bits + " act=" + (actBits == null ? "-" : actBits) + " lsq=" + lsq + " " + training.canonical();
        }

        @Override
        public String label() {
            return dirName();
        }

        /** The row's export folder name, e.g. qat-w4a8-lsq. */
        public String dirName() {
            return "qat-w" + bits + (actBits == null ? "" : "a" + actBits) + (lsq ? "-lsq" : "");
        }

        @Override
        public long steps() {
            return training.epochs() + 1L;
        }
    }

    /** The seed's quantization-aware training with one of its quantizers ({@code plan}). */
    record SeedQat(PtqPlan plan, Training training) implements Variant {
        @Override
        public String canonical() {
            return "qat-seed method=" + plan.method().cliName() + " set=" + (plan.set() == null ? "-" : plan.set().cliName())
                    + " bits=" + plan.bits() + " " + training.canonical();
        }

        @Override
        public String label() {
            return dirName();
        }

        /** The row's export folder name, e.g. qat-rounding-uniform-4bit. */
        public String dirName() {
            return "qat-" + plan.dirName();
        }

        @Override
        public long steps() {
            return training.epochs() + 1L;
        }
    }

    /**
     * Magnitude pruning to {@code ratio}, fine-tuned for {@code training.epochs()} (0: none, oneshot only), then
     * optionally quantized by each of {@code thenQuantize} (one row each; the removed weights zeroed again).
     */
    record Prune(PruneSchedule schedule, PruneScope scope, double ratio, boolean includeOutput, Training training,
                 List<PtqPlan> thenQuantize) implements Variant {
        public Prune {
            thenQuantize = List.copyOf(thenQuantize);
        }

        @Override
        public String canonical() {
            return "prune schedule=" + schedule + " scope=" + scope + " ratio=" + ratio + " include-output=" + includeOutput
                    + " " + training.canonical() + " then=[" + thenQuantize.stream()
                    .map(p -> p.method().cliName() + "/" + (p.set() == null ? "-" : p.set().cliName()) + "/" + p.bits())
                    .collect(Collectors.joining(",")) + "]";
        }

        @Override
        public String label() {
            String s = dirName(null);
            return thenQuantize.isEmpty() ? s : s + "+" + thenQuantize.stream().map(PtqPlan::dirName).collect(Collectors.joining(","));
        }

        /** The export folder of the row quantized by {@code quant} (null: the pruned row), e.g. prune-oneshot-layer-0.5-affine-int-sym-4bit. */
        public String dirName(PtqPlan quant) {
            String s = "prune-" + schedule + "-" + scope.toString().replace(':', 'x') + "-" + ratio;
            return quant == null ? s : s + "-" + quant.dirName();
        }

        @Override
        public int rows() {
            return Math.max(1, thenQuantize.size());
        }

        @Override
        public long steps() {
            return training.epochs() + (long) rows();
        }
    }

    /**
     * Knowledge distillation into a fresh student of architecture {@code student} ({@code hidden} widths for dense),
     * optionally with fake-quantized {@code qatBits}-bit weights.
     */
    record Distill(String student, List<Integer> hidden, float temperature, float alpha, Integer qatBits, Training training)
            implements Variant {
        public Distill {
            hidden = hidden == null ? null : List.copyOf(hidden);
        }

        @Override
        public String canonical() {
            return "distill student=" + student + " hidden=" + (hidden == null ? "-" : hidden.stream().map(String::valueOf)
                    .collect(Collectors.joining(","))) + " temperature=" + temperature + " alpha=" + alpha
                    + " qat=" + (qatBits == null ? "-" : qatBits) + " " + training.canonical();
        }

        @Override
        public String label() {
            String h = hidden == null ? "" : "-" + hidden.stream().map(String::valueOf).collect(Collectors.joining("x"));
            return "distill-" + student + h + (qatBits == null ? "" : "-w" + qatBits);
        }

        /** The student's export folder name (as the distill command names it), e.g. distill-dense-w8. */
        public String dirName() {
            return "distill-" + student + (qatBits == null ? "" : "-w" + qatBits);
        }

        @Override
        public long steps() {
            return training.epochs() + 1L;
        }
    }
}
