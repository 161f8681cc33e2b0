package org.edgeq.api;

/** Checks, before any backend class loads, that the JVM was started with the module EdgeQ's CPU code needs. */
final class JvmRequirements {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_FLAG = "--add-modules " + VECTOR_MODULE;

    private JvmRequirements() {
    }

    /**
     * Throws IllegalStateException naming the JVM option when the Vector API module is not in the boot layer:
     * without it the CPU backend would fail later with a bare NoClassDefFoundError.
     */
    static void requireVectorModule() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            throw new IllegalStateException("EdgeQ needs the JVM option '" + VECTOR_FLAG
                    + "' (the CPU backend uses the incubating Vector API); add it to the java command line, "
                    + "or to the surefire/exec plugin's arguments in Maven");
        }
    }
}
