package org.edgeq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Runs an edgeq command in a child JVM started like this one (same java, JVM options and class path), with the
 * slot's environment; the child's stderr is passed through line by line, prefixed with the backend, and its last
 * stdout line kept (the --json object).
 */
final class ChildProcessRunner implements EnergyComparison.Runner {
    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
    private static final int TAIL = 20;

    private final PrintWriter err;

    ChildProcessRunner(PrintWriter err) {
        this.err = err;
    }

    /** java, this JVM's options (--add-modules, --enable-native-access, -Xmx ...), -cp, the main class. */
    static List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(Main.class.getName());
        return c;
    }

    @Override
    public EnergyComparison.Result run(EnergyComparison.Slot slot, List<String> args) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(slot.env());
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        err.println("energy compare: running '" + String.join(" ", args) + "'" + (slot.env().isEmpty() ? "" : " with " + slot.env()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = Thread.ofPlatform().name("edgeq-compare-stderr").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals(INCUBATOR_WARNING)) continue;
                    err.println("[" + slot.label() + "] " + line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL) tail.removeFirst();
                    }
                }
            } catch (IOException ignored) {
                // the child is gone; what it said so far is kept
            }
        });
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.isBlank()) last = line;
            int code = p.waitFor();
            pump.join();
            synchronized (tail) {
                return new EnergyComparison.Result(code, last, List.copyOf(tail));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return new EnergyComparison.Result(130, last, List.of("interrupted"));
        }
    }
}
