package org.edgeq.hwsim;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.PoolGeometry;

/**
 * An energy estimate of one inference (batch 1) from operation and data-movement counts and an {@link EnergyTable}:
 * a model, not a measurement. Per weight layer it counts MACs, BOPs (MACs x w_bits x a_bits) and the bits moved at
 * each memory level under one stated dataflow ({@link #DATAFLOW}), and prices them.
 */
public final class EnergyModel {
    /** The dataflow the byte counts assume, printed with every estimate. */
    public static final String DATAFLOW = "batch 1, nothing kept on chip between inferences: every weight (at w_bits) and bias "
            + "(32 bits) read once from DRAM, written to and read once from the SRAM buffer; the input read once from DRAM (in the "
            + "first layer's activation format), the logits written once to DRAM (32 bits); activations through SRAM: each layer's "
            + "output written once (after pooling, done in the output stage), its input read once per output channel group "
            + "(im2col reads for convolutions, k*k per element, no line buffer); per MAC both operands read from a 1 KB register "
            + "file, the accumulator kept in the MAC unit (its energy is the adder's); SRAM level per layer: the smallest of "
            + "8 KB / 32 KB / 1 MB holding its input, output, weights and biases";

    private EnergyModel() {
    }

    /**
     * What a layer computes in: integer weights and activations with an accumulator of accBits; FP32 (both 32);
     * or weight-only quantization (activations 32: weights stored and moved at weightBits, arithmetic in FP32).
     */
    public record Precision(int weightBits, int activationBits, int accBits) {
        public Precision {
            boolean fp = weightBits == 32 && activationBits == 32;
            boolean weightOnly = activationBits == 32 && weightBits >= 1 && weightBits < 32;
            boolean integer = weightBits >= 1 && weightBits <= 16 && activationBits >= 1 && activationBits <= 16;
            if (!fp && !weightOnly && !integer) {
                throw new IllegalArgumentException("precision w" + weightBits + "a" + activationBits + " is neither integer (1..16 bits each), "
                        + "weight-only (a32) nor FP32");
            }
            if (integer && (accBits < 2 || accBits > 32)) throw new IllegalArgumentException("accumulator must be 2..32 bits, got " + accBits);
        }

        public static Precision fp32() {
            return new Precision(32, 32, 32);
        }

        public boolean isInteger() {
            return activationBits < 32;
        }

        /** "fp32", "w8a8", "w4a32"; with the accumulator when it is not 32 bits ("w8a8/acc16"). */
        public String label() {
            if (weightBits == 32 && activationBits == 32) return "fp32";
            return "w" + weightBits + "a" + activationBits + (isInteger() && accBits != 32 ? "/acc" + accBits : "");
        }
    }

    /**
     * One layer's counts and energy (picojoules).
     *
     * @param sramLevel the SRAM size whose figure applies
     */
    public record LayerEnergy(String path, String type, long macs, long bops, long weights, double dramBytes, double sramBytes,
                              double registerBytes, String sramLevel, double computePj, double registerPj, double sramPj, double dramPj) {
        public double totalPj() {
            return computePj + registerPj + sramPj + dramPj;
        }
    }

    /** The estimate of one inference at one precision. */
    public record Estimate(Precision precision, List<LayerEnergy> layers, String source) {
        public long macs() {
            return layers.stream().mapToLong(LayerEnergy::macs).sum();
        }

        public long bops() {
            return layers.stream().mapToLong(LayerEnergy::bops).sum();
        }

        public double dramBytes() {
            return layers.stream().mapToDouble(LayerEnergy::dramBytes).sum();
        }

        public double sramBytes() {
            return layers.stream().mapToDouble(LayerEnergy::sramBytes).sum();
        }

        public double registerBytes() {
            return layers.stream().mapToDouble(LayerEnergy::registerBytes).sum();
        }

        public double computePj() {
            return layers.stream().mapToDouble(LayerEnergy::computePj).sum();
        }

        public double registerPj() {
            return layers.stream().mapToDouble(LayerEnergy::registerPj).sum();
        }

        public double sramPj() {
            return layers.stream().mapToDouble(LayerEnergy::sramPj).sum();
        }

        public double dramPj() {
            return layers.stream().mapToDouble(LayerEnergy::dramPj).sum();
        }

        public double totalPj() {
            return layers.stream().mapToDouble(LayerEnergy::totalPj).sum();
        }

        /** Energy per inference in microjoules. */
        public double microjoules() {
            return totalPj() * 1e-6;
        }
    }

    /** The estimate for {@code graph} at {@code p} priced by {@code table}. */
    public static Estimate estimate(NetworkGraph graph, Precision p, EnergyTable table) {
        List<NetworkGraph.Stage> stages = graph.stages();
        List<LayerEnergy> out = new ArrayList<>();
        int wb = p.weightBits(), ab = p.activationBits();
        for (int i = 0; i < stages.size(); i++) {
            NetworkGraph.Stage s = stages.get(i);
            boolean first = i == 0, last = i == stages.size() - 1;
            long macs = s.macs(), w = s.weights(), o = s.outChannels();
            long inputs = s.layerInputs(), outputs = s.outputs(), layerOutputs = s.layerOutputs();
            long inputReads = macs / o; // im2col elements (conv) or the input vector (dense): each read once
            long compares = 0;
            for (PoolGeometry g : s.pools()) {
                compares += (long) g.channels() * g.outHeight() * g.outWidth() * ((long) g.window() * g.window() - 1);
            }
            double weightBits = (double) w * wb + o * 32.0;
            double dramBits = weightBits + (first ? inputs * (double) ab : 0) + (last ? outputs * 32.0 : 0);
            double sramBits = 2 * weightBits + (first ? inputs * (double) ab : 0) + inputReads * (double) ab + (last ? 0 : outputs * (double) ab);
            double regBits = macs * (double) (wb + ab);
            long workingSet = (long) Math.ceil((inputs * (double) ab + outputs * (double) (last ? 32 : ab) + weightBits) / 8);
            double compute;
            if (p.isInteger()) {
                compute = macs * (table.intMult(Math.min(wb, 32), Math.min(ab, 32)) + table.intAdd(p.accBits()));
                compute += last ? layerOutputs * (table.int32AddPj() + table.fp32MultPj()) // bias, dequantize
                        : layerOutputs * (2 * table.int32AddPj() + table.int32MultPj()); // bias, Q31 multiply, zero point
                compute += compares * table.intAdd(ab);
            } else {
                compute = macs * (table.fp32MultPj() + table.fp32AddPj()) + layerOutputs * table.fp32AddPj() + compares * table.fp32AddPj();
            }
            double sram64 = table.sram64For(workingSet);
            out.add(new LayerEnergy(s.path(), s.layer().type(), macs, macs * (long) wb * ab, w, dramBits / 8, sramBits / 8, regBits / 8,
                    EnergyTable.sramLevelFor(workingSet), compute, EnergyTable.access(table.reg64Pj(), regBits),
                    EnergyTable.access(sram64, sramBits), EnergyTable.access(table.dram64Pj(), dramBits)));
        }
        return new Estimate(p, out, table.source());
    }
}
