package org.edgeq.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the scale-out tests share: where docs/scale-out is, which {@code edgeq} the scripts run (the stand-in
 * script by default; the real launcher with {@code -Dedgeq.scaleout.cli=../edgeq} or {@code EDGEQ_SCALEOUT_CLI}),
 * the study spec they plan, and running a command with a time limit.
 */
final class ScaleOut {
    /** The spec the stand-in plans as 4 cells (methods x bits); the real CLI takes its own through the property. */
    static final String STANDIN_SPEC = "--dataset synthetic-hard --methods minmax --bits 8,6,4,2";

    private ScaleOut() {
    }

    /** The checkout's root: the first directory at or above the working directory that holds docs/scale-out. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/scale-out/submit-slurm.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/scale-out/submit-slurm.sh at or above " + dir);
    }

    static Path script(String name) {
        return repoRoot().resolve("docs/scale-out").resolve(name);
    }

    /** The real launcher named by the property or environment, or null for the stand-in. */
    static Path realCli() {
        String named = System.getProperty("edgeq.scaleout.cli", System.getenv("EDGEQ_SCALEOUT_CLI"));
        if (named == null || named.isBlank()) {
            return null;
        }
        Path cli = Path.of(named).toAbsolutePath().normalize();
        if (!Files.isExecutable(cli)) {
            throw new IllegalStateException("edgeq.scaleout.cli=" + named + " is not an executable file (" + cli + ")");
        }
        return cli;
    }

    /** The stand-in edgeq (a test resource) copied into {@code dir} and made executable. */
    static Path standIn(Path dir) throws IOException {
        Path target = dir.resolve("edgeq-standin.sh");
        try (InputStream in = ScaleOut.class.getResourceAsStream("/scaleout/edgeq-standin.sh")) {
            if (in == null) {
                throw new IllegalStateException("test resource /scaleout/edgeq-standin.sh is missing");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!target.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + target + " executable");
        }
        return target;
    }

    /** The study spec: {@code -Dedgeq.scaleout.spec="..."} (words split on blanks), else the stand-in's. */
    static List<String> spec() {
        String spec = System.getProperty("edgeq.scaleout.spec", System.getenv("EDGEQ_SCALEOUT_SPEC"));
        return List.of((spec == null || spec.isBlank() ? STANDIN_SPEC : spec).trim().split("\\s+"));
    }

    /** A finished command: exit code, stdout and stderr. */
    record Result(int exitCode, String out, String err) {
        /** The {@code key=value} lines of stdout (the submit wrapper's closing lines). */
        Map<String, String> keyValues() {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[a-z_]+")) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            return values;
        }

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code command} in {@code dir} with extra environment, killing it after {@code seconds}. */
    static Result run(Path dir, Map<String, String> env, long seconds, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("scaleout-out", ".txt");
        Path err = Files.createTempFile("scaleout-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out after " + seconds + " s: " + String.join(" ", command)
                        + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
