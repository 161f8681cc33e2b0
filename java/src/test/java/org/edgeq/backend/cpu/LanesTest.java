package org.edgeq.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {

    /** The specification: fold the upper half onto the lower half until one lane is left. */
    private static float foldInHalves(float[] lanes) {
        float[] v = lanes.clone();
        for (int half = v.length / 2; half >= 1; half /= 2) {
            float[] next = v.clone();
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[(i + half) % v.length];
            v = next;
        }
        return v[0];
    }

    private static double foldInHalves(double[] lanes) {
        double[] v = lanes.clone();
        for (int half = v.length / 2; half >= 1; half /= 2) {
            double[] next = v.clone();
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[(i + half) % v.length];
            v = next;
        }
        return v[0];
    }

    @Test
    void floatLaneSumFollowsTheFixedHalvingOrderBitForBit() {
        Random r = new Random(7);
        int n = FloatVector.SPECIES_PREFERRED.length();
        for (int trial = 0; trial < 1000; trial++) {
            float[] lanes = new float[n];
            // Mixed magnitudes make the order of additions visible in the last bits.
            for (int i = 0; i < n; i++) lanes[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            float got = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0));
            assertEquals(Float.floatToRawIntBits(foldInHalves(lanes)), Float.floatToRawIntBits(got), "trial " + trial);
        }
    }

    @Test
    void doubleLaneSumFollowsTheFixedHalvingOrderBitForBit() {
        Random r = new Random(8);
        int n = DoubleVector.SPECIES_PREFERRED.length();
        for (int trial = 0; trial < 1000; trial++) {
            double[] lanes = new double[n];
            for (int i = 0; i < n; i++) lanes[i] = r.nextGaussian() * Math.pow(10, r.nextInt(16) - 8);
            double got = Lanes.sum(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, lanes, 0));
            assertEquals(Double.doubleToRawLongBits(foldInHalves(lanes)), Double.doubleToRawLongBits(got), "trial " + trial);
        }
    }
}
