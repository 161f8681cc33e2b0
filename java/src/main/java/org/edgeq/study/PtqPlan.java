package org.edgeq.study;

import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;

/**
 * One post-training quantization row to make: a method, its landmark set or integer format (null where the method
 * takes none, and for mid-rise over its full range) and a weight bit width.
 */
public record PtqPlan(QuantMethod method, LandmarkSetKind set, int bits) {

    /** The seed's bin_method name of the set, empty without one. */
    public String binMethod() {
        return set == null ? "" : set.cliName();
    }

    /** The row's export folder name, e.g. rounding-uniform-4bit. */
    public String dirName() {
        return method.cliName() + (set == null ? "" : "-" + set.cliName()) + "-" + bits + "bit";
    }

    /** The row's export folder name with its activation width, e.g. affine-int-sym-4bit-a8. */
    public String dirName(Integer actBits) {
        return actBits == null ? dirName() : dirName() + "-a" + actBits;
    }
}
