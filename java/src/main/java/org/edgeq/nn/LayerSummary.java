package org.edgeq.nn;

import org.edgeq.tensor.Shape;

/**
 * One row of a model summary for {@code edgeq info}.
 *
 * @param name          the layer's state-dict prefix, e.g. "net.0"
 * @param type          PyTorch-like class name
 * @param outputShape   per-sample output shape
 * @param parameters    trainable elements of this layer (children excluded)
 * @param macsPerSample multiply-accumulates for one sample
 * @param bytes         bytes of parameters and running statistics at their stored precision
 */
public record LayerSummary(String name, String type, Shape outputShape, long parameters, long macsPerSample, long bytes) {
}
