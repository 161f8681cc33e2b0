package org.edgeq.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of a vector's lanes in one fixed order. {@code reduceLanes(ADD)} is allowed to add in any order, and
 * HotSpot's compiled intrinsic and its interpreted fallback do differ, so a reduction's last bits would depend on
 * when the JIT compiled the loop: two runs with the same seed would drift apart. Here the lanes are folded in
 * halves with lane-wise adds (exact per lane, the same in every execution mode): after the fold over half the
 * length, lane i holds v[i] + v[i + L/2], and so on until lane 0 holds the total.
 */
final class Lanes {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float>[] FLOAT_FOLDS = folds(FS);
    private static final VectorShuffle<Double>[] DOUBLE_FOLDS = folds(DS);

    private Lanes() {
    }

    @SuppressWarnings("unchecked")
    private static <E> VectorShuffle<E>[] folds(VectorSpecies<E> species) {
        int steps = Integer.numberOfTrailingZeros(species.length());
        VectorShuffle<E>[] out = new VectorShuffle[steps];
        for (int s = 0, half = species.length() / 2; s < steps; s++, half /= 2) {
            int h = half;
            out[s] = VectorShuffle.fromOp(species, i -> (i + h) % species.length());
        }
        return out;
    }

    /** Sum of the lanes of {@code v} (of the preferred float species), in the fixed halving order. */
    static float sum(FloatVector v) {
        if (v.species() != FS) return sequential(v.toArray());
        for (VectorShuffle<Float> fold : FLOAT_FOLDS) v = v.add(v.rearrange(fold));
        return v.lane(0);
    }

    /** Sum of the lanes of {@code v} (of the preferred double species), in the fixed halving order. */
    static double sum(DoubleVector v) {
        if (v.species() != DS) {
            double s = 0;
            for (double x : v.toArray()) s += x;
            return s;
        }
        for (VectorShuffle<Double> fold : DOUBLE_FOLDS) v = v.add(v.rearrange(fold));
        return v.lane(0);
    }

    private static float sequential(float[] lanes) {
        float s = 0;
        for (float x : lanes) s += x;
        return s;
    }
}
