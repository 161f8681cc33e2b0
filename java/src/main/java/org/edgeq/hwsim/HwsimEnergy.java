package org.edgeq.hwsim;

import org.edgeq.nn.Model;

/**
 * The one number other code asks of the simulator: the estimated energy of one inference of a model at a weight and
 * activation width, in microjoules (the results column est_energy_uj_per_inference). It is the {@link EnergyModel}'s
 * total at batch 1 with a 32-bit accumulator, priced by Horowitz's 45 nm table ({@link EnergyTable#horowitz45nm()}):
 * a model, not a measurement. MACs are dense (the modelled hardware does not skip zeros).
 */
public final class HwsimEnergy {
    private HwsimEnergy() {
    }

    /**
     * Microjoules per inference of {@code model} at {@code wBits} / {@code aBits}: integer inference for both in 1..16,
     * weight-only quantization for aBits 32 (weights moved at wBits, FP32 arithmetic), FP32 for 32 / 32. NaN where the
     * network has no Linear or Conv2d layer.
     */
    public static double estimateMicrojoules(Model model, int wBits, int aBits) {
        return estimateMicrojoules(model, wBits, aBits, EnergyTable.horowitz45nm());
    }

    /** As {@link #estimateMicrojoules(Model, int, int)} priced by {@code table}. */
    public static double estimateMicrojoules(Model model, int wBits, int aBits, EnergyTable table) {
        NetworkGraph graph;
        try {
            graph = NetworkGraph.forCosts(model);
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
        return EnergyModel.estimate(graph, new EnergyModel.Precision(wBits, aBits, 32), table).microjoules();
    }

    /** Where the default figures come from, for the row's energy_source-style labels. */
    public static String source() {
        return EnergyTable.HOROWITZ + " (model)";
    }
}
