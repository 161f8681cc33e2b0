package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.LinalgOps;
import org.edgeq.backend.MemoryOps;
import org.edgeq.backend.NnOps;
import org.edgeq.backend.OptimOps;
import org.edgeq.backend.PruneOps;
import org.edgeq.backend.QuantOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/cuda-ops.md, the table of Java op → C entry point → kernel launcher → file, says what the sources do: every
 * row matches a call, an entry point and the launchers its body calls; every entry point of edgeq.h and every call
 * of the bindings has its row; every Backend op is accounted for, under the heading of its own family.
 */
class CudaOpTableTest {
    private static final String NONE = "—";
    private static final Map<String, Class<?>> FAMILIES = Map.of("MemoryOps", MemoryOps.class, "LinalgOps", LinalgOps.class,
            "NnOps", NnOps.class, "OptimOps", OptimOps.class, "QuantOps", QuantOps.class, "PruneOps", PruneOps.class);

    /** One table row; {@code section} is the heading above it. */
    private record Row(String section, List<String> backendOps, String site, String entry, String launchers, String file) {
    }

    private static CudaSources sources;
    private static List<Row> rows;
    private static Set<String> notThroughTheLibrary;

    @BeforeAll
    static void read() throws IOException {
        Path root = CudaSources.findRoot();
        assumeTrue(root != null, "native/include/edgeq.h not found above " + Path.of("").toAbsolutePath());
        sources = CudaSources.read(root);
        rows = new ArrayList<>();
        notThroughTheLibrary = new LinkedHashSet<>();
        String section = "";
        for (String line : Files.readAllLines(root.resolve("docs/cuda-ops.md"))) {
            if (line.startsWith("## ")) section = line.substring(3).trim();
            if (line.startsWith("Not through libedgeq_cuda:")) {
                for (String part : line.split("`")) if (part.matches("\\w+")) notThroughTheLibrary.add(part);
            }
            if (!line.startsWith("| ") || line.startsWith("| Backend op") || line.startsWith("|---")) continue;
            String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                    .map(c -> c.replace("`", "").trim()).toArray(String[]::new);
            assertEquals(5, cells.length, "five cells: " + line);
            List<String> ops = cells[0].equals(NONE) ? List.of() : Arrays.stream(cells[0].split(",")).map(String::trim).toList();
            rows.add(new Row(section, ops, cells[1], cells[2], cells[3], cells[4]));
        }
        assertFalse(rows.isEmpty(), "docs/cuda-ops.md has no table rows");
    }

    private static Set<String> backendOps() {
        return Arrays.stream(Backend.class.getMethods()).filter(m -> Modifier.isAbstract(m.getModifiers()))
                .filter(m -> FAMILIES.containsValue(m.getDeclaringClass())).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyCallOfTheBindingsHasItsRowAndEveryRowItsCall() {
        Set<String> documented = new TreeSet<>(), called = new TreeSet<>();
        for (Row r : rows) if (!r.site().equals(NONE)) documented.add(r.site() + " -> " + r.entry());
        for (CudaSources.JavaCall c : sources.javaCalls()) called.add(c.site() + " -> " + c.entry());
        assertEquals(List.of(), called.stream().filter(c -> !documented.contains(c)).toList(), "calls without a row");
        assertEquals(List.of(), documented.stream().filter(d -> !called.contains(d)).toList(), "rows without a call");
    }

    @Test
    void everyEntryPointOfTheHeaderHasARowAndARowWithoutJavaCallerHasNone() {
        Set<String> inTable = new HashSet<>();
        for (Row r : rows) {
            assertTrue(sources.entryPoints().contains(r.entry()), r.entry() + " is not declared in edgeq.h");
            inTable.add(r.entry());
            if (r.site().equals(NONE)) {
                assertTrue(sources.javaCalls().stream().noneMatch(c -> c.entry().equals(r.entry())),
                        r.entry() + " has a Java caller; name it in its row");
            }
        }
        for (String entry : sources.entryPoints()) assertTrue(inTable.contains(entry), entry + " has no row in docs/cuda-ops.md");
    }

    @Test
    void launchersAndFilesAreWhatTheEntryPointsCallAndWhereTheLaunchersLive() {
        for (Row r : rows) {
            List<String> launched = sources.launchersByEntry().get(r.entry());
            assertTrue(launched != null, r.entry() + " has no definition in native/src");
            assertEquals(launched.isEmpty() ? NONE : String.join(", ", launched), r.launchers(), "launchers of " + r.entry());
            List<String> files = launched.stream().map(l -> sources.fileByLauncher().get(l)).distinct().toList();
            assertFalse(files.contains(null), "a launcher of " + r.entry() + " has no definition in kernels-cu/src");
            assertEquals(files.isEmpty() ? NONE : String.join(", ", files), r.file(), "kernel file of " + r.entry());
        }
    }

    @Test
    void everyBackendOpIsAccountedForUnderItsOwnFamily() {
        Set<String> spi = backendOps();
        Set<String> cudaOnly = Arrays.stream(CudaBackend.class.getMethods()).map(Method::getName)
                .filter(n -> !spi.contains(n)).collect(Collectors.toSet());
        Set<String> covered = new TreeSet<>(notThroughTheLibrary);
        for (Row r : rows) {
            Class<?> family = FAMILIES.get(r.section());
            for (String op : r.backendOps()) {
                if (family != null) {
                    assertTrue(Arrays.stream(family.getMethods()).anyMatch(m -> m.getName().equals(op)),
                            op + " (" + r.entry() + ") is not an op of " + r.section());
                } else {
                    assertTrue(cudaOnly.contains(op), op + " under \"" + r.section() + "\" is not a CudaBackend method outside the SPI");
                }
                covered.add(op);
            }
            String[] site = r.site().split("\\.");
            if (site[0].equals("CudaBackend") && spi.contains(site[1])) {
                assertEquals(List.of(site[1]), r.backendOps(), "the Backend op of " + r.site());
            }
        }
        for (String op : notThroughTheLibrary) {
            assertTrue(spi.contains(op), op + " (not through libedgeq_cuda) is not a Backend op");
            assertTrue(rows.stream().noneMatch(r -> r.backendOps().contains(op)), op + " is said not to reach libedgeq_cuda but has a row");
        }
        assertTrue(covered.containsAll(spi), "Backend ops missing from docs/cuda-ops.md: " + spi.stream().filter(o -> !covered.contains(o)).toList());
    }
}
