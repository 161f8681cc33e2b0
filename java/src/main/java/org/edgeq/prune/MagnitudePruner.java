package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The seed's magnitude pruning, exactly (DESIGN.md §4): in every layer but the output layer, rank |w| densely
 * (scipy's {@code rankdata(method='dense')}: equal magnitudes share a rank, ranks run 1..max_rank without gaps) and
 * remove every weight whose rank is at most ceil(max_rank · ratio). Ties make the removed fraction differ from
 * the ratio: many equal magnitudes (zeros after an earlier pruning, say) fall together.
 */
public record MagnitudePruner(boolean includeOutputLayer) implements Pruner {

    /** The seed's setting: the output layer is never pruned. */
    public MagnitudePruner() {
        this(false);
    }

    @Override
    public String name() {
        return "seed-layer";
    }

    @Override
    public List<LayerMask> select(Model model, double ratio) {
        Pruner.checkRatio(ratio);
        List<LayerMask> masks = new ArrayList<>();
        for (WeightLayer l : Pruner.prunableLayers(model, includeOutputLayer)) {
            masks.add(new LayerMask(l, keepMask(Pruner.weights(model, l), ratio)));
        }
        return masks;
    }

    /** The seed's rule on one weight tensor: 1 keeps, 0 removes. */
    static float[] keepMask(float[] w, double ratio) {
        int[] rank = denseRanksOfMagnitude(w);
        int maxRank = 0;
        for (int r : rank) maxRank = Math.max(maxRank, r);
        // Same double arithmetic as the seed's numpy: ceil(max_rank * ratio).
        double cut = Math.ceil(maxRank * ratio);
        float[] keep = new float[w.length];
        for (int i = 0; i < w.length; i++) keep[i] = rank[i] <= cut ? 0f : 1f;
        return keep;
    }

    /** Dense ranks of |w| from 1 (smallest magnitude); equal magnitudes share a rank. */
    static int[] denseRanksOfMagnitude(float[] w) {
        int n = w.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = MagnitudeOrder.key(w[i], i);
        Arrays.sort(keys);
        int[] rank = new int[n];
        int r = 0;
        int previousBits = -1;
        for (long k : keys) {
            int bits = (int) (k >>> 32);
            // -0 and +0 have different bits but abs() already mapped both to +0.
            if (bits != previousBits) {
                r++;
                previousBits = bits;
            }
            rank[MagnitudeOrder.index(k)] = r;
        }
        return rank;
    }
}
