package org.edgeq.study;

import org.edgeq.prune.GlobalMagnitudePruner;
import org.edgeq.prune.LayerMagnitudePruner;
import org.edgeq.prune.Pruner;
import org.edgeq.prune.SeedMagnitudePruner;
import org.edgeq.prune.StructuredSparsity24;

/** Which weights magnitude pruning chooses from; an enum so that --help lists the choices. */
public enum PruneScope {
    SEED("seed"), LAYER("layer"), GLOBAL("global"), TWO_FOUR("2:4");

    private final String cliName;

    PruneScope(String cliName) {
        this.cliName = cliName;
    }

    /** The pruner of this scope; {@code includeOutputLayer} applies to EdgeQ's scopes (the seed's rule decides itself). */
    public Pruner pruner(boolean includeOutputLayer) {
        return switch (this) {
            case SEED -> new SeedMagnitudePruner(); // its own rule decides about the output layer
            case LAYER -> new LayerMagnitudePruner(includeOutputLayer);
            case GLOBAL -> new GlobalMagnitudePruner(includeOutputLayer);
            case TWO_FOUR -> new StructuredSparsity24(includeOutputLayer);
        };
    }

    /** The scope named {@code name} (its command-line name), or an exception listing them. */
    public static PruneScope fromCliName(String name) {
        for (PruneScope s : values()) if (s.cliName.equals(name)) return s;
        throw new IllegalArgumentException("unknown pruning scope '" + name + "' (expected one of: seed, layer, global, 2:4)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
