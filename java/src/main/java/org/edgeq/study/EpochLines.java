package org.edgeq.study;

import org.edgeq.train.EpochStats;

import java.util.Locale;

/** One training epoch as a progress line, the same for edgeq train, the compression commands and study cells. */
public final class EpochLines {
    private EpochLines() {
    }

    /** "epoch 3/10  train loss 0.3412 acc 0.8610  val loss ... lr 1.0e-03  0.4 s" and "(saved)" when a checkpoint was written. */
    public static String line(EpochStats s, int epochs, boolean saved) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f", s.epoch(), epochs, s.trainLoss()));
        if (!Double.isNaN(s.trainAccuracy())) b.append(String.format(Locale.ROOT, " acc %.4f", s.trainAccuracy()));
        if (!Double.isNaN(s.valLoss())) b.append(String.format(Locale.ROOT, "  val loss %.4f", s.valLoss()));
        if (!Double.isNaN(s.valAccuracy())) b.append(String.format(Locale.ROOT, " acc %.4f", s.valAccuracy()));
        if (!Double.isNaN(s.valR2())) b.append(String.format(Locale.ROOT, " R² %.4f", s.valR2()));
        b.append(String.format(Locale.ROOT, "  lr %.2g  %.1f s", s.learningRate(), s.seconds()));
        if (saved) b.append("  (saved)");
        return b.toString();
    }
}
