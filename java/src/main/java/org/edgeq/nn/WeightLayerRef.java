package org.edgeq.nn;

/**
 * A reference to a layer that multiplies by a weight matrix or kernel (Linear, Conv2d), as compression methods see
 * it: which layer, where it sits in the network and which parameters it owns. The reference study's rules hang on
 * this: landmark sets pool a layer's
 * weight and bias, multi-point skips the first and last such layer, magnitude pruning leaves the output layer alone.
 *
 * @param path   module path, e.g. {@code net.3} (parameter names are {@code path + ".weight"})
 * @param layer  the layer itself
 * @param weight its weight ([out, in] or [out, in, k, k]: output channels first, as per-channel methods need)
 * @param bias   its bias, or null
 * @param index  position among the model's weight layers in forward order, from 0
 * @param count  how many weight layers the model has
 */
public record WeightLayerRef(String path, Layer layer, Parameter weight, Parameter bias, int index, int count) {

    public boolean isFirst() {
        return index == 0;
    }

    /** The output layer. */
    public boolean isLast() {
        return index == count - 1;
    }

    /** Output channels (rows of the weight). */
    public int outChannels() {
        return weight.value().dim(0);
    }
}
