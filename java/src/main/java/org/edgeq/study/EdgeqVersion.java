package org.edgeq.study;

/** The EdgeQ version results rows record and {@code edgeq --version} prints: the jar manifest's, when packaged. */
public final class EdgeqVersion {
    private EdgeqVersion() {
    }

    public static String get() {
        String v = EdgeqVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
