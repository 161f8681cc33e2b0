package org.edgeq.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * An exclusive, non-blocking claim on an output path (a model directory, an exports folder, a results CSV) held
 * for one run: a lock file {@code .edgeq-lock-<name>} beside the target, locked with {@link FileChannel#tryLock}
 * and holding the owner's pid, so a second run on the same output is refused at once with the holder's pid. The
 * kernel drops the lock when its process dies, so a lock file left by a killed run claims nothing; a run that
 * ends normally removes its lock file.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name prefix; the target's own name follows. */
    public static final String PREFIX = ".edgeq-lock-";

    /** Another live process holds the output. */
    public static final class HeldException extends IOException {
        private final Path target;
        private final long pid;

        HeldException(Path target, long pid) {
            super(target + " is in use by another edgeq run (pid " + (pid > 0 ? Long.toString(pid) : "unknown") + ")");
            this.target = target;
            this.pid = pid;
        }

        public Path target() {
            return target;
        }

        /** The holder's pid, or -1 when the holder had not yet written it. */
        public long pid() {
            return pid;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** The outermost folder this claim created for its lock file (null: none), removed again on close if still empty. */
    private final Path created;

    private OutputLock(Path file, FileChannel channel, FileLock lock, Path created) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.created = created;
    }

    /** The lock file that guards {@code target}. */
    public static Path lockFile(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.resolveSibling(PREFIX + abs.getFileName());
    }

    /**
     * Claims {@code target} for this process (its parent folder is created if needed), or throws
     * {@link HeldException} naming the pid of the process that holds it. Never waits.
     */
    public static OutputLock acquire(Path target) throws IOException {
        Path file = lockFile(target);
        Path created = null;
        for (Path p = file.getParent(); p != null && !Files.exists(p); p = p.getParent()) created = p;
        Files.createDirectories(file.getParent());
        for (int attempt = 0; attempt < 20; attempt++) {
            Object before = fileKey(file);
            // NOFOLLOW_LINKS: a planted symlink must not make us create or truncate a file elsewhere.
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                long pid = holderPid(ch);
                ch.close();
                throw new HeldException(target, pid);
            }
            // A holder that just finished removes its lock file: a lock on that removed file claims nothing.
            Object after = fileKey(file);
            if (before != null && Objects.equals(before, after)) {
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                ch.truncate(0);
                AtomicFiles.writeFully(ch.position(0), ByteBuffer.wrap(pid));
                ch.force(false);
                return new OutputLock(file, ch, lock, created);
            }
            lock.release();
            ch.close();
        }
        throw new IOException(file + ": cannot take the lock: the file keeps being replaced");
    }

    /**
     * Removes the lock file, then lets go of the lock (in this order, see {@link #acquire}); folders created for the
     * lock file go too while they are empty, so a run refused after its claim (exit 2) leaves nothing behind.
     */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
            if (created != null) {
                for (Path p = file.getParent(); p != null && p.startsWith(created); p = p.getParent()) {
                    try {
                        Files.delete(p);
                    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                        break;
                    }
                }
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The pid the holder wrote; it writes right after locking, so an empty file is read again briefly. */
    private static long holderPid(FileChannel ch) throws IOException {
        for (int i = 0; i < 10; i++) {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 19) return Long.parseLong(s);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }
}
