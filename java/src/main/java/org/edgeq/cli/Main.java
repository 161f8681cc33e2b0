package org.edgeq.cli;

/** Entry point of the {@code edgeq} command line. PLACEHOLDER until the picocli commands land. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("edgeq: CLI not built yet");
        System.exit(2);
    }
}
