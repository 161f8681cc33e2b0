package org.edgeq.fuzz;

import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.interop.ImportRefusedException;
import org.edgeq.data.DataFormatException;
import org.edgeq.study.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The property every reader's fuzz harness checks (issue 11): reading any bytes ends in a valid object or in one of
 * the project's bad-input exceptions with a one-line message of bounded length, and the read allocates no more heap
 * than a bound proportional to the input plus a fixed allowance. Anything else (another exception, an Error, a
 * multi-line or runaway message, a big allocation) fails the harness with an AssertionError naming it: a finding.
 */
public final class ReaderProperty {
    /** The longest message a bad-input refusal may have (the file name, the spot, the reason, a short quote). */
    public static final int MAX_MESSAGE = 400;
    /** Heap a read may take per input byte (parsed rows, boxed cells, decoded floats) on top of {@link #FIXED_ALLOWANCE}. */
    public static final long BYTES_PER_INPUT_BYTE = 256;
    /** Heap any read may take regardless of its input (buffers, parser state, class loading on first use). */
    public static final long FIXED_ALLOWANCE = 64L << 20;

    /** The exceptions that mean "bad input, refused with one line". */
    private static final List<Class<? extends Throwable>> REFUSALS = List.of(DataFormatException.class,
            CheckpointFormatException.class, BadInputException.class, NoSuchFileException.class, ImportRefusedException.class);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path dir;

    private ReaderProperty() {
    }

    /** What a harness reads: a file (or a directory of files) the harness wrote the fuzzed bytes into. */
    @FunctionalInterface
    public interface Read {
        Object read() throws Exception;
    }

    /** A scratch directory shared by the harnesses of this JVM (each run overwrites its files). */
    public static synchronized Path scratch() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("edgeq-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    /** Writes {@code bytes} to the scratch file {@code name} and returns its path. */
    public static Path write(String name, byte[] bytes) {
        try {
            Path file = scratch().resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code read} on an input of {@code inputBytes} and checks the property; returns the object read or null. */
    public static Object check(long inputBytes, Read read) {
        Outcome o = run(read);
        long bound = BYTES_PER_INPUT_BYTE * inputBytes + FIXED_ALLOWANCE;
        if (o.allocated > bound) {
            // The first read down a new path loads (and under the fuzzer instruments) classes on this thread, which
            // counts as allocation: measure once more with the classes loaded before calling it a finding.
            o = run(read);
        }
        if (o.thrown != null) {
            Throwable t = o.thrown;
            if (REFUSALS.stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError("finding: " + t.getClass().getName() + " is not a bad-input refusal: "
                        + firstLine(t.getMessage()), t);
            }
            String m = t.getMessage();
            if (m == null || m.isBlank()) throw new AssertionError("finding: " + t.getClass().getName() + " without a message", t);
            if (m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw new AssertionError("finding: a refusal of more than one line: " + firstLine(m), t);
            }
            if (m.length() > MAX_MESSAGE) {
                throw new AssertionError("finding: a refusal of " + m.length() + " characters (at most " + MAX_MESSAGE + "): "
                        + m.substring(0, 120) + "...", t);
            }
        }
        if (o.allocated > bound) {
            throw new AssertionError("finding: reading " + inputBytes + " bytes allocated " + o.allocated + " bytes of heap (bound "
                    + bound + ")" + (o.thrown == null ? "" : ", then " + firstLine(o.thrown.getMessage())));
        }
        return o.result;
    }

    private record Outcome(Object result, Throwable thrown, long allocated) {
    }

    private static Outcome run(Read read) {
        long thread = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        Object result = null;
        Throwable thrown = null;
        try {
            result = read.read();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Outcome(result, thrown, THREADS.getThreadAllocatedBytes(thread) - before);
    }

    private static String firstLine(String s) {
        if (s == null) return "(no message)";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl) + " [...]";
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
