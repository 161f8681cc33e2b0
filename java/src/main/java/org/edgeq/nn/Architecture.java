package org.edgeq.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The model architectures EdgeQ builds, by their command-line names. */
public enum Architecture {
    DENSE("dense"), CNN_SEED("cnn-seed"), CNN_SMALL("cnn-small"), RESNET9("resnet9");

    private final String cliName;

    Architecture(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Architecture fromName(String name) {
        for (Architecture a : values()) if (a.cliName.equals(name)) return a;
        throw new IllegalArgumentException("unknown architecture '" + name + "' (known: "
                + Arrays.stream(values()).map(Architecture::cliName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
