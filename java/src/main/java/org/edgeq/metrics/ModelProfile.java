package org.edgeq.metrics;

import java.util.List;

/**
 * What a model variant (FP, quantized, pruned, distilled, exported) is made of and costs per inference, counted from
 * its shapes and weights: parameters, non-zeros and sparsity, MACs dense and effective, bit-operations, per layer and
 * in total, and the bytes of its file on disk where it has one. Made by {@link ModelProfiler}.
 *
 * @param layers    one row per layer in module order
 * @param fileBytes size of the model's file on disk (model.eqz or model.safetensors); null when it has none
 */
public record ModelProfile(List<LayerProfile> layers, Long fileBytes) {

    public ModelProfile {
        layers = List.copyOf(layers);
    }

    public long parameters() {
        return layers.stream().mapToLong(LayerProfile::parameters).sum();
    }

    public long nonzeros() {
        return layers.stream().mapToLong(LayerProfile::nonzeros).sum();
    }

    /** Weights of the Linear and Conv2d layers (biases and batch norm excluded). */
    public long weights() {
        return layers.stream().mapToLong(LayerProfile::weights).sum();
    }

    public long nonzeroWeights() {
        return layers.stream().mapToLong(LayerProfile::nonzeroWeights).sum();
    }

    /** Fraction of the weight layers' weights that are exactly zero: the results' sparsity column. */
    public double weightSparsity() {
        long w = weights();
        return w == 0 ? 0 : (double) (w - nonzeroWeights()) / w;
    }

    public long denseMacs() {
        return layers.stream().mapToLong(LayerProfile::denseMacs).sum();
    }

    /** MACs per inference with zero weights skipped: the results' macs column. */
    public long effectiveMacs() {
        return layers.stream().mapToLong(LayerProfile::effectiveMacs).sum();
    }

    /** Bit-operations per inference at each layer's own widths. */
    public long bops() {
        long b = 0;
        for (LayerProfile l : layers) b = Math.addExact(b, l.bops());
        return b;
    }

    /** Bytes of the parameters and buffers where they are stored, summed over the layers (the file adds its header). */
    public long storedBytes() {
        return layers.stream().mapToLong(LayerProfile::storedBytes).sum();
    }

    /** The same model computing at {@code bits}. */
    public ModelProfile withBits(LayerBits bits) {
        return new ModelProfile(layers.stream().map(l -> l.withBits(bits.weightBits(l.path()), bits.activationBits(l.path()))).toList(),
                fileBytes);
    }

    /** The same profile with the size of its file on disk. */
    public ModelProfile withFileBytes(Long bytes) {
        return new ModelProfile(layers, bytes);
    }
}
