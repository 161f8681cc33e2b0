package org.edgeq.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One run per output: a second claim is refused at once with the holder's pid; a finished run leaves no lock file. */
class OutputLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondClaimIsRefusedAtOnceNamingTheHoldersPid() throws Exception {
        Path out = dir.resolve("M");
        try (OutputLock held = OutputLock.acquire(out)) {
            Path file = OutputLock.lockFile(out);
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file, StandardCharsets.US_ASCII));
            OutputLock.HeldException e = assertThrows(OutputLock.HeldException.class, () -> OutputLock.acquire(out));
            assertEquals(ProcessHandle.current().pid(), e.pid());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertFalse(Files.exists(OutputLock.lockFile(out)), "a finished run removes its lock file");
        try (OutputLock again = OutputLock.acquire(out)) {
            assertTrue(Files.exists(OutputLock.lockFile(out)));
        }
    }

    @Test
    void aLockFileLeftByAKilledRunClaimsNothing() throws Exception {
        Path out = dir.resolve("results.csv");
        Files.writeString(OutputLock.lockFile(out), "999999999\n");
        try (OutputLock ignored = OutputLock.acquire(out)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(OutputLock.lockFile(out)));
        }
    }

    @Test
    void aLockFileThatIsASymbolicLinkIsNotFollowed() throws Exception {
        Path out = dir.resolve("M");
        Path victim = dir.resolve("victim");
        Files.createSymbolicLink(OutputLock.lockFile(out), victim);
        assertThrows(java.io.IOException.class, () -> OutputLock.acquire(out));
        assertFalse(Files.exists(victim), "nothing created through the link");
    }

    @Test
    void foldersCreatedForTheLockFileGoAgainWhileEmpty() throws Exception {
        Path out = dir.resolve("new").resolve("deep").resolve("M");
        try (OutputLock ignored = OutputLock.acquire(out)) {
            assertTrue(Files.exists(OutputLock.lockFile(out)));
        }
        assertFalse(Files.exists(dir.resolve("new")), "a claim that wrote nothing leaves nothing");
        try (OutputLock ignored = OutputLock.acquire(out)) {
            Files.createDirectories(out);
        }
        assertTrue(Files.isDirectory(out), "a folder that holds something stays");
    }
}
