package org.edgeq.quant;

/** The weight quantization methods a user can pick on the command line ({@code --method}). */
public enum QuantMethod {
    MID_RISE("mid-rise"),
    ROUNDING("rounding"),
    STOCHASTIC("stochastic"),
    MULTIPOINT("multipoint"),
    AFFINE("affine");

    private final String cliName;

    QuantMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the method rounds to a landmark set and so needs a {@link LandmarkSetKind}. */
    public boolean usesLandmarkSet() {
        return this == ROUNDING || this == STOCHASTIC;
    }

    /** The method with this CLI name, or an exception listing the allowed names. */
    public static QuantMethod fromCliName(String name) {
        for (QuantMethod m : values()) if (m.cliName.equals(name)) return m;
        throw new IllegalArgumentException("unknown quantization method '" + name + "' (allowed: mid-rise, rounding, stochastic, multipoint, affine)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
