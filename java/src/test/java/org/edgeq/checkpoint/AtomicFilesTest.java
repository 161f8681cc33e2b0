package org.edgeq.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private long filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void writeReplacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("a.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "new content".getBytes(StandardCharsets.UTF_8));
        assertEquals("new content", Files.readString(target));
        assertEquals(1, filesIn(dir));
    }

    @Test
    void writerFailingMidwayLeavesTheOldFileIntactAndNothingBehind() throws Exception {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "the last good checkpoint");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap("half of a new chec".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(target.toAbsolutePath() + ": disk full (simulated)", e.getMessage(), "the failure names the file (issue 11)");
        assertEquals("the last good checkpoint", Files.readString(target));
        assertEquals(1, filesIn(dir), "temporary file removed");
    }

    @Test
    void runtimeFailureInTheWriterAlsoCleansUp() throws Exception {
        Path target = dir.resolve("x.bin");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, channel -> {
            throw new IllegalStateException("NaN in weights (simulated)");
        }));
        assertEquals(0, filesIn(dir));
    }

    @Test
    void createsMissingParentDirectories() throws Exception {
        Path target = dir.resolve("runs/one/model.json");
        AtomicFiles.write(target, new byte[]{1, 2, 3});
        assertEquals(3, Files.size(target));
    }
}
