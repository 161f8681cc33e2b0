package org.edgeq.backend.cuda;

import org.edgeq.bindings.edgeq.EdgeqNative;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * Loads libedgeq_cuda.so from the jar once per JVM: unpacks {@link CudaEnvironment#NATIVE_RESOURCE} to a temporary
 * file (deleted on exit), {@link System#load}s it so the bindings resolve against it, and checks that the library's
 * ABI version is the one the bindings were generated for.
 */
final class NativeLibrary {
    private static Path loaded;

    private NativeLibrary() {
    }

    /** Loads the packaged library (once) and checks its ABI; throws IllegalStateException saying what is wrong. */
    static synchronized Path load() {
        if (loaded != null) return loaded;
        Path file;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(CudaEnvironment.NATIVE_RESOURCE)) {
            file = extract(in, CudaEnvironment.NATIVE_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + CudaEnvironment.NATIVE_RESOURCE + ": " + e.getMessage(), e);
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            // Typically a dependency (libcudart.so.13) the dynamic loader cannot find; its message names it.
            throw new IllegalStateException("cannot load libedgeq_cuda.so: " + e.getMessage(), e);
        }
        checkAbi(EdgeqNative::edgeq_abi_version, EdgeqNative.EDGEQ_ABI_VERSION(), file);
        loaded = file;
        return file;
    }

    /**
     * Copies the resource stream to a new temporary file marked for deletion on exit; a missing resource (null
     * stream) is an IllegalStateException naming it.
     */
    static Path extract(InputStream in, String resourceName) throws IOException {
        if (in == null) {
            throw new IllegalStateException(CudaEnvironment.NOT_PACKAGED + ": resource " + resourceName + " is not in the jar");
        }
        Path file = Files.createTempFile("libedgeq_cuda-", ".so");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Throws when the loaded library's {@code edgeq_abi_version()} differs from the bindings'. */
    static void checkAbi(Supplier<Integer> libraryVersion, int bindingsVersion, Path file) {
        int actual = libraryVersion.get();
        if (actual != bindingsVersion) throw new IllegalStateException(abiMismatch(actual, bindingsVersion, file));
    }

    static String abiMismatch(int libraryVersion, int bindingsVersion, Path file) {
        return "libedgeq_cuda.so (" + file + ") has ABI version " + libraryVersion + " but the Java bindings were generated for "
                + bindingsVersion + ": rebuild the jar so native/ and bindings/ come from the same edgeq.h "
                + "(native/build.sh, then bindings/regenerate.sh)";
    }
}
