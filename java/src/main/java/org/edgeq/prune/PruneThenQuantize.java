package org.edgeq.prune;

import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.train.EpochListener;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pruning and quantization combined: prune, fine-tune with the masks held, then quantize the weights with a
 * {@link ModelQuantizer} and re-apply the masks, because a quantizer need not have zero among its levels (landmark
 * sets and mid-rise usually do not) and would move every removed weight to its nearest level.
 */
public final class PruneThenQuantize {
    private PruneThenQuantize() {
    }

    /**
     * What prune-then-quantize left: the model holds the dequantized weights with the masks applied.
     *
     * @param quantized  the quantizer's codes per parameter name; a pruned tensor's removed positions are exact zeros
     *                   in the model whatever their code says, so an exporter applies {@code keep} on top
     * @param keep       the keep mask (1 keep, 0 removed) of every pruned parameter tensor, by parameter name
     * @param fineTuning the fine-tuning run, or null when there was none
     */
    public record Result(Map<String, QuantizedTensor> quantized, Map<String, float[]> keep, TrainingResult fineTuning) {
    }

    /**
     * Prunes {@code model} by {@code pruner} at {@code ratio}, fine-tunes it on {@code trainRows} of {@code data}
     * when {@code fineTune} is not null (validating on {@code validationRows}, may be null), then quantizes at
     * {@code bits} keeping the removed weights zero.
     */
    public static Result run(Model model, Pruner pruner, double ratio, TrainingConfig fineTune, Dataset data,
                             int[] trainRows, int[] validationRows, EpochListener listener,
                             WeightQuantizer quantizer, int bits) {
        try (PruningMasks masks = PruningMasks.prune(model, pruner, ratio)) {
            TrainingResult tuned = null;
            if (fineTune != null) {
                tuned = new Trainer(fineTune).withHook(new MaskHook(masks)).train(model, data, trainRows, validationRows, listener);
                masks.apply(); // early stopping may have restored weights from before the last re-masking
            }
            Result q = quantize(masks, quantizer, bits);
            return new Result(q.quantized(), q.keep(), tuned);
        }
    }

    /** Quantizes the masked model at {@code bits} and zeroes the removed elements again (biases too, where masked). */
    public static Result quantize(PruningMasks masks, WeightQuantizer quantizer, int bits) {
        Map<String, QuantizedTensor> quantized = ModelQuantizer.apply(masks.model(), quantizer, bits);
        masks.apply();
        Map<String, float[]> keep = new LinkedHashMap<>();
        for (PruningMask m : masks.masks()) keep.put(m.parameter().name(), m.keep());
        return new Result(quantized, keep, null);
    }
}
