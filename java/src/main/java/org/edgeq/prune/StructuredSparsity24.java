package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;

import java.util.ArrayList;
import java.util.List;

/**
 * 2:4 structured sparsity: in every group of four consecutive weights along the input dimension keep the two of
 * largest magnitude (ties: the earlier one), the pattern sparse tensor cores accelerate. A Linear weight
 * [out, in] is grouped along each row; a Conv2d weight [out, in, k, k] along each output channel's flattened
 * in·k·k values, the GEMM reduction axis of im2col. A row whose length is not a multiple of four ends in a shorter
 * group treated as padded with zeros: it keeps its two largest (all of them when it has one or two). The ratio is
 * fixed at 1/2 and the argument to {@link #select} is ignored.
 */
public record StructuredSparsity24(boolean includeOutputLayer) implements Pruner {
    static final int GROUP = 4;
    static final int KEEP = 2;

    public StructuredSparsity24() {
        this(false);
    }

    @Override
    public String name() {
        return "2:4";
    }

    @Override
    public List<ParameterMask> select(Model model, double ratio) {
        List<ParameterMask> masks = new ArrayList<>();
        for (WeightLayerRef l : Pruner.prunableLayers(model, includeOutputLayer)) {
            float[] w = Pruner.weights(model, l);
            int rowLength = (int) (w.length / l.outChannels());
            masks.add(new ParameterMask(l.weight(), keepMask(w, rowLength)));
        }
        return masks;
    }

    /** The 2:4 keep mask of {@code w} read as rows of {@code rowLength}. */
    static float[] keepMask(float[] w, int rowLength) {
        float[] keep = new float[w.length];
        for (int row = 0; row < w.length; row += rowLength) {
            for (int g = row; g < row + rowLength; g += GROUP) {
                int end = Math.min(g + GROUP, row + rowLength);
                int first = -1, second = -1;
                for (int i = g; i < end; i++) {
                    float a = Math.abs(w[i]);
                    if (first < 0 || a > Math.abs(w[first])) {
                        second = first;
                        first = i;
                    } else if (second < 0 || a > Math.abs(w[second])) {
                        second = i;
                    }
                }
                keep[first] = 1f;
                if (second >= 0) keep[second] = 1f;
            }
        }
        return keep;
    }
}
