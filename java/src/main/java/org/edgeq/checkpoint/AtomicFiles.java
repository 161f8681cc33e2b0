package org.edgeq.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content, never a mix: the bytes
 * go to a temporary file in the same directory, are forced to disk, then renamed over the target atomically and
 * the directory entry is forced too. On any failure the temporary file is removed and the target is untouched.
 * Temporary files are named {@code .edgeq-tmp-<pid>-<name>.<hex>}: one a killed process left behind is removed by
 * the next write of the same file once that pid is gone.
 */
public final class AtomicFiles {

    /** Writes the whole content of a file into the channel it is given. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(content)));
    }

    public static void write(Path target, ContentWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeStaleTemporaries(dir, absolute.getFileName().toString());
        Path temp = dir.resolve(tempPrefix(ProcessHandle.current().pid(), absolute.getFileName().toString())
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                try { writer.writeTo(channel); channel.force(true); } catch (IOException e) { throw IoErrors.naming(absolute, e); } // disk full: say which file
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(absolute + ": the file system cannot rename atomically; refusing a non-atomic write", e);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
    }

    /** {@code .edgeq-tmp-<pid>-<name>.}: the temporary files of {@code name} written by process {@code pid}. */
    static String tempPrefix(long pid, String name) {
        return StagedDirectory.TMP_PREFIX + pid + "-" + name + ".";
    }

    /**
     * Removes the temporary files of {@code name} in {@code dir} that a killed process left (its pid is gone); a
     * live writer's are kept.
     */
    static void removeStaleTemporaries(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, StagedDirectory.TMP_PREFIX + "*")) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                int dash = n.indexOf('-', StagedDirectory.TMP_PREFIX.length());
                if (dash < 0) continue;
                String pid = n.substring(StagedDirectory.TMP_PREFIX.length(), dash);
                if (pid.isEmpty() || pid.length() > 18 || !pid.chars().allMatch(Character::isDigit)) continue;
                if (!n.startsWith(tempPrefix(Long.parseLong(pid), name)) || StagedDirectory.alive(Long.parseLong(pid))) continue;
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
            }
        }
    }

    /** Writes every remaining byte of {@code buffer}; a channel may accept fewer bytes per call. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    private static void forceDirectory(Path dir) throws IOException {
        // Makes the rename itself durable. Some platforms cannot open a directory as a channel; the rename
        // is still atomic there, only its durability after a power cut is weaker.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            // nothing more can be done on such a platform
        }
    }
}
