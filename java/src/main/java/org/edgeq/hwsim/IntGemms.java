package org.edgeq.hwsim;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Picks the integer GEMM the simulator runs on: the class named by the system property {@value #PROPERTY} if set,
 * else the first {@link IntGemm} registered as a service (META-INF/services/org.edgeq.hwsim.IntGemm) that
 * constructs, else the {@link NaiveIntGemm} reference. A fast kernel drops in by registering itself; nothing here
 * changes. Whatever is picked must equal the reference bit for bit (the simulator's tests check the one in use).
 */
public final class IntGemms {
    /** System property naming an {@link IntGemm} class with a public no-argument constructor. */
    public static final String PROPERTY = "edgeq.hwsim.gemm";

    private IntGemms() {
    }

    /** The chosen implementation and why (for the command's report). */
    public record Choice(IntGemm gemm, String name, String reason) {
    }

    /** The best available implementation. */
    public static Choice best() {
        List<String> skipped = new ArrayList<>();
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            try {
                Object o = Class.forName(named.strip()).getConstructor().newInstance();
                if (o instanceof IntGemm g) return new Choice(g, g.getClass().getSimpleName(), "named by -D" + PROPERTY);
                skipped.add(named + " is not an IntGemm");
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                skipped.add(named + ": " + (e.getCause() != null ? e.getCause() : e));
            }
        }
        ServiceLoader<IntGemm> loader = ServiceLoader.load(IntGemm.class, IntGemms.class.getClassLoader());
        for (ServiceLoader.Provider<IntGemm> p : loader.stream().toList()) {
            if (p.type() == NaiveIntGemm.class) continue;
            try {
                IntGemm g = p.get();
                return new Choice(g, g.getClass().getSimpleName(), "registered service"
                        + (skipped.isEmpty() ? "" : " (skipped " + String.join("; ", skipped) + ")"));
            } catch (java.util.ServiceConfigurationError | LinkageError | RuntimeException e) {
                skipped.add(p.type().getName() + ": " + e.getMessage());
            }
        }
        return new Choice(new NaiveIntGemm(), "NaiveIntGemm", "the stepwise reference; no faster IntGemm is registered"
                + (skipped.isEmpty() ? "" : " (skipped " + String.join("; ", skipped) + ")"));
    }
}
