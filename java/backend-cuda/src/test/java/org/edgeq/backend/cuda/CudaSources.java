package org.edgeq.backend.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the CUDA backend's sources say about each op's way down, read from the text of the repository: the entry
 * points edgeq.h declares, which Java methods call them, which kernel launchers their bodies in native/src call and
 * which kernels-cu/src file defines each launcher. Plain text patterns: the sources follow one layout.
 */
record CudaSources(List<String> entryPoints, Set<JavaCall> javaCalls, Map<String, List<String>> launchersByEntry,
                   Map<String, String> fileByLauncher) {

    /** Method {@code method} of class {@code className} (backend/cuda) calls C entry point {@code entry}. */
    record JavaCall(String className, String method, String entry) {
        String site() {
            return className + "." + method;
        }
    }

    private static final Pattern DECLARATION = Pattern.compile("^(?:edgeq_status|int32_t|const char\\*) (edgeq_\\w+)\\(", Pattern.MULTILINE);
    private static final Pattern LAUNCHER = Pattern.compile("^cudaError_t (\\w+)\\(", Pattern.MULTILINE);
    private static final Pattern DEFINITION = Pattern.compile("extern \"C\" [\\w\\s*]*?\\b(edgeq_\\w+)\\s*\\(");
    private static final Pattern LAUNCH = Pattern.compile("ek::(\\w+)\\(");
    /** A member declaration of a top-level Java type: four spaces of indentation, optional modifiers and type. */
    private static final Pattern MEMBER = Pattern.compile(
            "^    (?:(?:public|protected|private|static|final|synchronized|default|abstract)\\s+)*(?:[\\w.<>\\[\\],?]+\\s+)?(\\w+)\\(",
            Pattern.MULTILINE);
    private static final Pattern BINDING_CALL = Pattern.compile("EdgeqNative(?:\\.|::)(edgeq_\\w+)");

    /** The repository root (the directory holding native/include/edgeq.h), searched upwards; null if absent. */
    static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("native/include/edgeq.h"))) return dir;
        }
        return null;
    }

    static CudaSources read(Path root) {
        List<String> entries = matches(DECLARATION, text(root.resolve("native/include/edgeq.h")));
        Set<String> launchers = new LinkedHashSet<>(matches(LAUNCHER, text(root.resolve("kernels-cu/include/edgeq/kernels.h"))));
        Map<String, String> files = new LinkedHashMap<>();
        for (Path cu : list(root.resolve("kernels-cu/src"), ".cu")) {
            for (String launcher : matches(LAUNCHER, text(cu))) files.put(launcher, cu.getFileName().toString());
        }
        Map<String, List<String>> launched = new LinkedHashMap<>();
        for (Path cu : list(root.resolve("native/src"), ".cu")) {
            String text = text(cu);
            Matcher m = DEFINITION.matcher(text);
            while (m.find()) {
                List<String> called = new ArrayList<>();
                for (String name : matches(LAUNCH, body(text, m.end()))) {
                    if (launchers.contains(name) && !called.contains(name)) called.add(name);
                }
                launched.put(m.group(1), called);
            }
        }
        Set<JavaCall> calls = new LinkedHashSet<>();
        for (Path java : list(root.resolve("java/backend-cuda/src/main/java/org/edgeq/backend/cuda"), ".java")) {
            String text = text(java);
            String className = java.getFileName().toString().replace(".java", "");
            // A call belongs to the last member declared before it.
            TreeMap<Integer, String> members = new TreeMap<>();
            Matcher member = MEMBER.matcher(text);
            while (member.find()) members.put(member.start(), member.group(1));
            Matcher call = BINDING_CALL.matcher(text);
            while (call.find()) {
                calls.add(new JavaCall(className, members.floorEntry(call.start()).getValue(), call.group(1)));
            }
        }
        return new CudaSources(entries, calls, launched, files);
    }

    /** The text between the first '{' after {@code from} and its matching '}'. */
    private static String body(String text, int from) {
        int open = text.indexOf('{', from);
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return text.substring(open, i + 1);
        }
        throw new IllegalStateException("unbalanced braces after offset " + from);
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
