package org.edgeq.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model directory built out of sight and then published whole, so that the directory under its own name is
 * always absent or complete: the files go into {@code .edgeq-tmp-<pid>-<name>} beside the target, and
 * {@link #publish} renames that folder into place. A directory it replaces (--overwrite) stays whole until the
 * new one is complete: it is renamed aside to {@code .edgeq-old-<pid>-<name>}, the new one renamed in, and only then
 * the old one removed. A run killed on the way leaves only folders of these names; {@link #cleanStale} (called by
 * {@link #begin}) removes them once their pid is gone, and puts an aside folder back when nothing replaced it.
 */
public final class StagedDirectory implements AutoCloseable {
    public static final String TMP_PREFIX = ".edgeq-tmp-";
    public static final String OLD_PREFIX = ".edgeq-old-";
    private static final Pattern OURS = Pattern.compile("\\.edgeq-(tmp|old)-(\\d{1,18})-(.+)");

    private final Path target;
    private final Path staging;
    private final Set<String> replaceable;
    private boolean published;

    private StagedDirectory(Path target, Path staging, Set<String> replaceable) {
        this.target = target;
        this.staging = staging;
        this.replaceable = replaceable;
    }

    /**
     * Starts building {@code target}: refuses a target that is a symbolic link (or not a directory), removes stale
     * temporaries of a killed run, and creates the empty staging folder beside it. {@code replaceable} names the files
     * an existing target may hold for {@link #publish} to replace it; anything else there makes publishing refuse.
     */
    public static StagedDirectory begin(Path target, Set<String> replaceable) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        refuseLinkOrFile(abs);
        Files.createDirectories(abs.getParent());
        cleanStale(abs);
        Path staging = abs.resolveSibling(TMP_PREFIX + ProcessHandle.current().pid() + "-" + abs.getFileName());
        deleteTree(staging); // this process's own earlier attempt at the same target, if any
        Files.createDirectory(staging);
        return new StagedDirectory(abs, staging, Set.copyOf(replaceable));
    }

    /** Where the files go until {@link #publish}. */
    public Path path() {
        return staging;
    }

    /** The directory this becomes. */
    public Path target() {
        return target;
    }

    /** Renames the finished folder into place, replacing (only now) a directory of replaceable files already there. */
    public void publish() throws IOException {
        if (published) throw new IllegalStateException(target + " is published already");
        force(staging);
        Path parent = target.getParent();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            refuseLinkOrFile(target);
            List<String> foreign = foreignEntries(target, replaceable);
            if (!foreign.isEmpty()) {
                throw new IOException(target + " holds files EdgeQ did not write (" + String.join(", ", foreign)
                        + "); refusing to replace it");
            }
            Path aside = target.resolveSibling(OLD_PREFIX + ProcessHandle.current().pid() + "-" + target.getFileName());
            deleteTree(aside);
            move(target, aside);
            move(staging, target);
            published = true;
            force(parent);
            deleteTree(aside);
        } else {
            move(staging, target);
            published = true;
            force(parent);
        }
    }

    /** Removes the staging folder unless it was published: an unfinished model never appears under its name. */
    @Override
    public void close() throws IOException {
        if (!published) deleteTree(staging);
    }

    /**
     * The entries of an existing directory {@code dir} that are not among {@code replaceable} (nor our own hidden
     * temporaries): what replacing the directory would destroy. Empty when {@code dir} does not exist.
     */
    public static List<String> foreignEntries(Path dir, Set<String> replaceable) throws IOException {
        List<String> foreign = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return foreign;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!replaceable.contains(n) && !n.startsWith(TMP_PREFIX) && !n.startsWith(OutputLock.PREFIX)) foreign.add(n);
            }
        }
        foreign.sort(null);
        return foreign;
    }

    /**
     * Cleans what a killed run left beside {@code target}: staging folders of dead pids are removed; an aside
     * (replaced) folder of a dead pid is removed when {@code target} exists (the new one was published) and renamed
     * back otherwise (the run died between its two renames, so the old model is restored). Folders of live pids are
     * left alone; callers hold the target's {@link OutputLock}, so no live run of ours is building it.
     */
    public static void cleanStale(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (!Files.isDirectory(parent)) return;
        String name = abs.getFileName().toString();
        List<Path> tmp = new ArrayList<>();
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, ".edgeq-*")) {
            for (Path p : s) {
                Matcher m = OURS.matcher(p.getFileName().toString());
                if (!m.matches() || !m.group(3).equals(name) || alive(Long.parseLong(m.group(2)))) continue;
                if (Files.isSymbolicLink(p)) continue; // not ours
                (m.group(1).equals("tmp") ? tmp : old).add(p);
            }
        }
        for (Path p : tmp) deleteTree(p);
        for (Path p : old) {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) move(p, abs);
            else deleteTree(p);
        }
    }

    static boolean alive(long pid) {
        if (pid == ProcessHandle.current().pid()) return true;
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Refuses a target that is a symbolic link (we did not create it; writing through it would write elsewhere) or a file. */
    static void refuseLinkOrFile(Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a symbolic link; EdgeQ does not write through links it did not create (name the real directory)");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " is a file, not a directory");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + ": the file system cannot rename atomically; refusing a non-atomic write", e);
        }
    }

    /** Forces a directory's entries to disk (where the platform lets a directory be opened). */
    static void force(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            // the rename is still atomic there, only its durability after a power cut is weaker
        }
    }

    /** Deletes a tree without following symbolic links out of it. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
