package org.edgeq.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model directory appears under its name only complete, and one it replaces stays whole until then. */
class StagedDirectoryTest {
    static final Set<String> FILES = Set.of("a", "b");

    @TempDir
    Path dir;

    /** The pid of a process that has ended: what a killed run's temporaries carry. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theTargetAppearsOnlyWhenPublishedAndNothingElseStaysBeside() throws Exception {
        Path target = dir.resolve("M");
        try (StagedDirectory s = StagedDirectory.begin(target, FILES)) {
            Files.writeString(s.path().resolve("a"), "new");
            assertFalse(Files.exists(target), "not under its name while being built");
            assertTrue(s.path().getFileName().toString().startsWith(".edgeq-tmp-" + ProcessHandle.current().pid() + "-M"));
            s.publish();
        }
        assertEquals("new", Files.readString(target.resolve("a")));
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void anUnpublishedBuildLeavesNoTraceAndTheOldDirectoryAsItWas() throws Exception {
        Path target = dir.resolve("M");
        Files.createDirectory(target);
        Files.writeString(target.resolve("a"), "old");
        try (StagedDirectory s = StagedDirectory.begin(target, FILES)) {
            Files.writeString(s.path().resolve("a"), "new");
            // the run fails here: no publish
        }
        assertEquals("old", Files.readString(target.resolve("a")));
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void publishingReplacesTheOldDirectoryWhole() throws Exception {
        Path target = dir.resolve("M");
        Files.createDirectory(target);
        Files.writeString(target.resolve("a"), "old");
        Files.writeString(target.resolve("b"), "old");
        try (StagedDirectory s = StagedDirectory.begin(target, FILES)) {
            Files.writeString(s.path().resolve("a"), "new");
            s.publish();
        }
        assertEquals(List.of("a"), names(target), "no file of the old model survives beside the new one");
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void aDirectoryHoldingOtherFilesIsNotReplaced() throws Exception {
        Path target = dir.resolve("M");
        Files.createDirectory(target);
        Files.writeString(target.resolve("notes.txt"), "mine");
        try (StagedDirectory s = StagedDirectory.begin(target, FILES)) {
            IOException e = assertThrows(IOException.class, s::publish);
            assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        }
        assertEquals(List.of("notes.txt"), names(target));
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void aSymbolicLinkTargetIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        Path link = Files.createSymbolicLink(dir.resolve("M"), elsewhere);
        IOException e = assertThrows(IOException.class, () -> StagedDirectory.begin(link, FILES));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(Files.exists(elsewhere));
    }

    @Test
    void staleTemporariesOfADeadPidAreRemovedAndThoseOfALiveOneKept() throws Exception {
        long dead = deadPid();
        Path target = dir.resolve("M");
        Files.createDirectories(dir.resolve(".edgeq-tmp-" + dead + "-M"));
        Files.writeString(dir.resolve(".edgeq-tmp-" + dead + "-M").resolve("a"), "half");
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Files.createDirectories(dir.resolve(".edgeq-tmp-" + live + "-M"));
        Files.createDirectories(dir.resolve(".edgeq-tmp-" + dead + "-Other"));
        StagedDirectory.cleanStale(target);
        assertEquals(Set.of(".edgeq-tmp-" + dead + "-Other", ".edgeq-tmp-" + live + "-M"), Set.copyOf(names(dir)),
                "only the dead pid's temporaries of this target go");
    }

    @Test
    void anOldModelSetAsideByAKilledOverwriteComesBackWhenNothingReplacedIt() throws Exception {
        long dead = deadPid();
        Path target = dir.resolve("M");
        Path aside = dir.resolve(".edgeq-old-" + dead + "-M");
        Files.createDirectories(aside);
        Files.writeString(aside.resolve("a"), "old");
        Files.createDirectories(dir.resolve(".edgeq-tmp-" + dead + "-M"));
        StagedDirectory.cleanStale(target);
        assertEquals("old", Files.readString(target.resolve("a")));
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void anOldModelSetAsideIsDroppedOnceTheNewOneWasPublished() throws Exception {
        long dead = deadPid();
        Path target = dir.resolve("M");
        Files.createDirectories(target);
        Files.writeString(target.resolve("a"), "new");
        Files.createDirectories(dir.resolve(".edgeq-old-" + dead + "-M"));
        StagedDirectory.cleanStale(target);
        assertEquals("new", Files.readString(target.resolve("a")));
        assertEquals(List.of("M"), names(dir));
    }

    @Test
    void aTemporaryFileAKilledSaveLeftIsRemovedByTheNextWriteOfThatFile() throws Exception {
        long dead = deadPid();
        Path stale = dir.resolve(".edgeq-tmp-" + dead + "-model.safetensors.1f2e3d");
        Files.write(stale, new byte[1024]);
        Path otherFile = dir.resolve(".edgeq-tmp-" + dead + "-model.json.1f2e3d");
        Files.write(otherFile, new byte[1]);
        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[]{1, 2, 3});
        assertEquals(List.of(".edgeq-tmp-" + dead + "-model.json.1f2e3d", "model.safetensors"), names(dir));
        AtomicFiles.write(dir.resolve("model.json"), new byte[]{'{', '}'});
        assertEquals(List.of("model.json", "model.safetensors"), names(dir));
    }
}
