package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;
import org.edgeq.backend.cpu.CpuBackendProvider;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackendSelectionTest {

    /** A provider that passes its probe and then fails to open, as a GPU whose library cannot start would. */
    private static final BackendProvider BROKEN = new BackendProvider() {
        @Override
        public String name() {
            return "cuda";
        }

        @Override
        public int rank() {
            return 100;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Backend create(int threads) {
            throw new IllegalStateException("libedgeq_cuda.so has ABI version 1 but the Java bindings were generated for 2");
        }
    };

    @Test
    void autoFallsBackWithOneLineWhenTheChosenBackendFailsToOpen() {
        StringWriter err = new StringWriter();
        try (Backend backend = BackendSelection.open(new Backends.Choice(BROKEN, List.of()), true, 1, new PrintWriter(err, true),
                CpuBackendProvider::new)) {
            assertEquals("cpu", backend.name());
        }
        String[] lines = err.toString().split("\\R");
        assertEquals("backend: cuda failed to open (libedgeq_cuda.so has ABI version 1 but the Java bindings were generated for 2); using cpu",
                lines[0]);
        assertEquals(2, lines.length, err.toString());
    }

    @Test
    void aBackendNamedExplicitlyFailsAsItIs() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendSelection.open(
                new Backends.Choice(BROKEN, List.of()), false, 1, new PrintWriter(new StringWriter()), CpuBackendProvider::new));
        assertEquals("libedgeq_cuda.so has ABI version 1 but the Java bindings were generated for 2", e.getMessage());
    }
}
