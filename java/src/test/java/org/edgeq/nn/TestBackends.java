package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.backend.Backends;

/** The backend the nn and train tests run on (the CPU backend, the oracle for every other). */
public final class TestBackends {
    private TestBackends() {
    }

    public static Backend cpu(int threads) {
        return Backends.choose("cpu").provider().create(threads);
    }
}
