package org.edgeq.cli;

/** Values of {@code --backend}; an enum so that --help lists them. */
public enum BackendChoice {
    AUTO("auto"), CPU("cpu"), CUDA("cuda");

    private final String cliName;

    BackendChoice(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@link org.edgeq.backend.Backends#choose} understands. */
    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
