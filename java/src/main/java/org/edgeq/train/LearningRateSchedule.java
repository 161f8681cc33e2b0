package org.edgeq.train;

/** How the learning rate changes from epoch to epoch (epochs count from 0). */
public sealed interface LearningRateSchedule
        permits LearningRateSchedule.Constant, LearningRateSchedule.Step, LearningRateSchedule.Cosine {

    float rate(float base, int epoch);

    /** The base rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public float rate(float base, int epoch) {
            return base;
        }
    }

    /** base * gamma^(floor(epoch / stepEpochs)), PyTorch's StepLR. */
    record Step(int stepEpochs, float gamma) implements LearningRateSchedule {
        public Step {
            if (stepEpochs <= 0) throw new IllegalArgumentException("step schedule needs stepEpochs >= 1, got " + stepEpochs);
            if (!(gamma > 0f)) throw new IllegalArgumentException("step schedule needs gamma > 0, got " + gamma);
        }

        @Override
        public float rate(float base, int epoch) {
            return (float) (base * StrictMath.pow(gamma, epoch / stepEpochs));
        }
    }

    /** Cosine annealing from base to minRate over totalEpochs, PyTorch's CosineAnnealingLR (T_max = totalEpochs). */
    record Cosine(int totalEpochs, float minRate) implements LearningRateSchedule {
        public Cosine {
            if (totalEpochs <= 0) throw new IllegalArgumentException("cosine schedule needs totalEpochs >= 1, got " + totalEpochs);
        }

        @Override
        public float rate(float base, int epoch) {
            int e = Math.min(epoch, totalEpochs);
            return (float) (minRate + (base - minRate) * (1 + StrictMath.cos(Math.PI * e / totalEpochs)) / 2);
        }
    }
}
