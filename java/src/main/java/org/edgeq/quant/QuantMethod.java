package org.edgeq.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight quantization methods a user can pick on the command line ({@code --method}). The seed's methods keep
 * the seed's rules; {@code multipoint-grid} and {@code affine} are EdgeQ's.
 */
public enum QuantMethod {
    /** The seed's mid-rise. */
    MID_RISE("mid-rise", "mid_rise"),
    /** The seed's regular rounding (its tables say normal_rounding in the code, regular_rounding in the CSVs). */
    ROUNDING("rounding", "regular_rounding", "normal_rounding"),
    /** The seed's stochastic rounding. */
    STOCHASTIC("stochastic", "stochastic_rounding"),
    /** The seed's multi-point search (candidate scales drawn at random, seeded in EdgeQ). */
    MULTIPOINT("multipoint", "multi-point"),
    /** EdgeQ: multi-point with the scale searched over a fixed grid and a zero fallback. */
    MULTIPOINT_GRID("multipoint-grid", null),
    /** EdgeQ: uniform affine integers. */
    AFFINE("affine", null);

    private final String cliName;
    private final String seedName;
    private final List<String> aliases;

    QuantMethod(String cliName, String seedName, String... moreAliases) {
        this.cliName = cliName;
        this.seedName = seedName;
        ArrayList<String> a = new ArrayList<>();
        if (seedName != null) a.add(seedName);
        a.addAll(List.of(moreAliases));
        this.aliases = List.copyOf(a);
    }

    public String cliName() {
        return cliName;
    }

    /** The seed's quant_method value for this method (regular_rounding, as its CSVs), or null for EdgeQ's own. */
    public String seedName() {
        return seedName;
    }

    /** Whether the method rounds to a landmark set and so needs a {@link LandmarkSetKind}. */
    public boolean usesLandmarkSet() {
        return this == ROUNDING || this == STOCHASTIC;
    }

    /** The method with this CLI name or one of the seed's names for it, or an exception listing the allowed names. */
    public static QuantMethod fromCliName(String name) {
        for (QuantMethod m : values()) {
            if (m.cliName.equals(name)) return m;
            for (String a : m.aliases) if (a.equalsIgnoreCase(name)) return m;
        }
        throw new IllegalArgumentException("unknown quantization method '" + name + "' (allowed: mid-rise, rounding, stochastic, multipoint, "
                + "multipoint-grid, affine; the seed's names mid_rise, regular_rounding, normal_rounding, stochastic_rounding, multi-point)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
