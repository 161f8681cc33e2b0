package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's magnitude pruning ({@code prune_model}), exactly: walk the model's state dict in PyTorch order and
 * prune every entry but the last one, each tensor on its own. Per tensor, r = the dense rank of |w| counted from 0
 * (scipy's {@code rankdata(method='dense') - 1}: equal magnitudes share a rank, -0 and +0 included, ranks run
 * 0..max_r without gaps); every element with r ≤ ceil(max_r · ratio) is removed, the bound computed in double
 * arithmetic as numpy does (25 · 0.28 is 7.000000000000001, so its ceiling is 8, not 7). Even ratio 0 removes the
 * smallest magnitude, and a one-element tensor is always removed.
 *
 * <p>So hidden biases, the output layer's weight and batch-norm scales and shifts are pruned; only the last
 * entry, the output layer's bias in every EdgeQ architecture, is left. Running statistics are in the walk (they
 * decide which entry is last) but stay unchanged: on a CUDA device, where the seed ran its CNN results, its
 * {@code .cpu()} copy kept them out of the model (on the CPU the same code also rank-pruned running means and
 * variances, and zeroed num_batches_tracked, through the aliased buffers; EdgeQ follows the device runs).
 *
 * <p>EdgeQ's state dict omits BatchNorm's {@code num_batches_tracked}; that changes the last entry only for a model
 * ending in a batch norm, where the last entry is a running statistic in both, so the pruned parameters are the
 * same. The seed's models and EdgeQ's all end in a Linear layer with a bias.
 *
 * <p>Removed elements become w · 0 as in the seed, so a removed negative weight is -0. Ties make the removed
 * fraction differ from the ratio: many equal magnitudes (zeros after an earlier pruning, say) fall together.
 */
public record SeedMagnitudePruner() implements Pruner {

    @Override
    public String name() {
        return "seed";
    }

    @Override
    public List<ParameterMask> select(Model model, double ratio) {
        Pruner.checkRatio(ratio);
        Map<String, Parameter> parameters = new HashMap<>();
        for (Parameter p : model.parameters()) parameters.put(p.name(), p);
        List<String> entries = new ArrayList<>(model.stateDict().keySet());
        List<ParameterMask> masks = new ArrayList<>();
        for (String name : entries.subList(0, Math.max(0, entries.size() - 1))) {
            Parameter p = parameters.get(name);
            if (p == null) continue; // a running statistic: left unchanged (see the class comment)
            masks.add(new ParameterMask(p, keepMask(Pruner.values(model, p), ratio)));
        }
        return masks;
    }

    /** The seed's rule on one tensor: 1 keeps, 0 removes. */
    static float[] keepMask(float[] w, double ratio) {
        int[] rank = denseRanksOfMagnitude(w);
        int maxRank = 0;
        for (int r : rank) maxRank = Math.max(maxRank, r);
        // numpy: ceil(max_rank * ratio) with an int64 max_rank and a float64 ratio, so double arithmetic here too.
        double bound = Math.ceil(maxRank * ratio);
        float[] keep = new float[w.length];
        for (int i = 0; i < w.length; i++) keep[i] = rank[i] <= bound ? 0f : 1f;
        return keep;
    }

    /** Dense ranks of |w| from 0 (smallest magnitude); equal magnitudes share a rank. */
    static int[] denseRanksOfMagnitude(float[] w) {
        int n = w.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = MagnitudeOrder.key(w[i], i);
        Arrays.sort(keys);
        int[] rank = new int[n];
        int r = -1;
        long previousBits = -1;
        for (long k : keys) {
            long bits = k >>> 32;
            // -0 and +0 have different bits, but abs() already mapped both to +0.
            if (bits != previousBits) {
                r++;
                previousBits = bits;
            }
            rank[MagnitudeOrder.index(k)] = r;
        }
        return rank;
    }
}
