package org.edgeq.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the EdgeQ version (from the jar manifest when packaged) and the JVM running it. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{"edgeq " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
