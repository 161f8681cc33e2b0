package org.edgeq.cli;

import org.edgeq.study.EdgeqVersion;
import picocli.CommandLine.IVersionProvider;

/** Reports the EdgeQ version (from the jar manifest when packaged) and the JVM running it. */
final class VersionProvider implements IVersionProvider {

    /** The EdgeQ version, as {@code edgeq --version} prints it and results rows record it. */
    static String edgeqVersion() {
        return EdgeqVersion.get();
    }

    @Override
    public String[] getVersion() {
        return new String[]{"edgeq " + edgeqVersion(),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
