package org.edgeq.api;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The entry point of EdgeQ as a library: opens a saved model folder for prediction. For example
 * <pre>{@code
 * try (EdgeQModel model = EdgeQ.load(Path.of("runs/telescope"))) {
 *     int[] classes = model.predictClasses(rawRows);
 * }
 * }</pre>
 * The JVM must run with {@code --add-modules jdk.incubator.vector} (see the {@link org.edgeq.api package} notes).
 */
public final class EdgeQ {
    /** The backend name that picks the best available one: CUDA where the CUDA module's jar and a GPU are present, else the CPU. */
    public static final String AUTO = "auto";

    private EdgeQ() {
    }

    /**
     * Opens the model in {@code modelDir} on the best available backend. The folder is one written by
     * {@code edgeq train --out DIR} (model.json and model.safetensors) or a compression command's export (model.json
     * and model.eqz); both are validated completely before any weight is loaded.
     *
     * @param modelDir the model folder
     * @return the loaded model; close it to free its weights and its backend
     * @throws IOException              when the folder is missing, unreadable or holds a corrupt model
     * @throws IllegalStateException    when the JVM lacks {@code --add-modules jdk.incubator.vector}
     */
    public static EdgeQModel load(Path modelDir) throws IOException {
        return load(modelDir, AUTO);
    }

    /**
     * As {@link #load(Path)} on a named backend.
     *
     * @param modelDir the model folder
     * @param backend  {@value #AUTO}, {@code cpu} or {@code cuda}
     * @return the loaded model; close it to free its weights and its backend
     * @throws IOException              when the folder is missing, unreadable or holds a corrupt model
     * @throws IllegalArgumentException for an unknown backend name
     * @throws IllegalStateException    when the named backend cannot run here, or the JVM lacks the Vector API module
     */
    public static EdgeQModel load(Path modelDir, String backend) throws IOException {
        Backend opened = openBackend(backend);
        try {
            return EdgeQModel.open(modelDir, opened);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** Opens a backend by name with one thread per processor, as {@link #openBackend(String, int)}. */
    static Backend openBackend(String name) {
        return openBackend(name, 0);
    }

    /**
     * Opens a backend by name with {@code threads} CPU threads (0: one per processor; a GPU backend ignores them);
     * under {@value #AUTO} a backend that passes its probe but fails to open gives way to the CPU, as on the command line.
     */
    static Backend openBackend(String name, int threads) {
        JvmRequirements.requireVectorModule();
        Backends.Choice choice = Backends.choose(name);
        try {
            return choice.provider().create(threads);
        } catch (RuntimeException e) {
            BackendProvider cpu = Backends.choose("cpu").provider();
            if (!name.equals(AUTO) || cpu.name().equals(choice.provider().name())) throw e;
            return cpu.create(threads);
        }
    }
}
