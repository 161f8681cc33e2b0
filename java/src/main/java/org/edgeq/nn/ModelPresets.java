package org.edgeq.nn;

import java.util.List;

/** The named model configurations of the seed and EdgeQ's defaults. */
public final class ModelPresets {
    private ModelPresets() {
    }

    /** The seed's 'simple' dense network: one hidden layer of 10. */
    public static ModelConfig denseSimple(int inputs, int outputs) {
        return new ModelConfig("dense", new int[] {inputs}, outputs, List.of(10), 0f, false);
    }

    /** The seed's 'complex' dense network: hidden [20, 40, 60, 30] with dropout 0.1. */
    public static ModelConfig denseComplex(int inputs, int outputs) {
        return new ModelConfig("dense", new int[] {inputs}, outputs, List.of(20, 40, 60, 30), 0.1f, false);
    }

    /** The seed's CNN (dropout fixed by the architecture). */
    public static ModelConfig cnnSeed(int[] inputShape, int classes) {
        return new ModelConfig("cnn-seed", inputShape.clone(), classes, List.of(), 0f, false);
    }

    /** The small CNN for 2 CPU cores, dropout 0.25 before its classifier. */
    public static ModelConfig cnnSmall(int[] inputShape, int classes) {
        return new ModelConfig("cnn-small", inputShape.clone(), classes, List.of(), 0.25f, false);
    }

    public static ModelConfig resnet9(int[] inputShape, int classes) {
        return new ModelConfig("resnet9", inputShape.clone(), classes, List.of(), 0f, false);
    }
}
