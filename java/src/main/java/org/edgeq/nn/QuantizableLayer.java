package org.edgeq.nn;

/** A weight layer (Linear, Conv2d) whose forward pass can fake-quantize its weight and input. */
public interface QuantizableLayer extends Layer {

    /** Attaches {@code q} (null detaches it: the layer computes in full precision again). */
    void setQuantizedForward(QuantizedForward q);

    /** The attached quantizer, or null. */
    QuantizedForward quantizedForward();
}
