package org.edgeq.backend.cuda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryTest {

    @Test
    void aJarWithoutTheLibraryIsRefusedNamingTheResource() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeLibrary.extract(null, "/native/x/libedgeq_cuda.so"));
        assertEquals("this build has no libedgeq_cuda.so (built without nvcc): resource /native/x/libedgeq_cuda.so is not in the jar", e.getMessage());
    }

    @Test
    void extractionCopiesTheBytesToATemporarySharedObject() throws Exception {
        byte[] bytes = {0x7f, 'E', 'L', 'F', 1, 2, 3};
        Path file = NativeLibrary.extract(new ByteArrayInputStream(bytes), "test");
        try {
            assertTrue(file.getFileName().toString().startsWith("libedgeq_cuda-") && file.toString().endsWith(".so"), file.toString());
            assertArrayEquals(bytes, Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anAbiMismatchSaysBothVersionsAndHowToFixIt() {
        Path file = Path.of("/tmp/libedgeq_cuda-1.so");
        NativeLibrary.checkAbi(() -> 2, 2, file);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeLibrary.checkAbi(() -> 1, 2, file));
        assertEquals("libedgeq_cuda.so (/tmp/libedgeq_cuda-1.so) has ABI version 1 but the Java bindings were generated for 2:"
                + " rebuild the jar so native/ and bindings/ come from the same edgeq.h (native/build.sh, then bindings/regenerate.sh)",
                e.getMessage());
    }
}
