package org.edgeq.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docs/scale-out/study-indexed-job.yaml holds what the study CLI contract needs on Kubernetes: an Indexed Job whose
 * pod i runs {@code edgeq study run-cell --index i --out DIR} on a shared volume, and a merge Job on the same volume
 * and study file. (Schema validation against Kubernetes itself is docs/scale-out/validate-k8s.sh, which needs npm.)
 */
class KubernetesIndexedJobTest {
    private static String text;
    private static Map<String, Object> claim;
    private static Map<String, Object> cells;
    private static Map<String, Object> merge;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        text = Files.readString(ScaleOut.script("study-indexed-job.yaml"));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            docs.add(map(doc));
        }
        assertEquals(3, docs.size(), "a volume claim, the cells Job, the merge Job");
        claim = docs.get(0);
        cells = docs.get(1);
        merge = docs.get(2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    /** The value at a dotted path; a number in the path indexes a list. */
    private static Object at(Object root, String path) {
        Object o = root;
        for (String key : path.split("\\.")) {
            if (key.matches("\\d+")) {
                o = ((List<?>) o).get(Integer.parseInt(key));
            } else {
                o = map(o).get(key);
            }
            assertNotNull(o, "no " + path + " (missing at '" + key + "')");
        }
        return o;
    }

    private static String shellCommand(Map<String, Object> job) {
        assertEquals(List.of("/bin/sh", "-c"), at(job, "spec.template.spec.containers.0.command"));
        List<?> args = (List<?>) at(job, "spec.template.spec.containers.0.args");
        assertEquals(1, args.size(), "one shell command line");
        return (String) args.get(0);
    }

    /** The volume a container path is mounted from, as "pvc:NAME" or "configMap:NAME". */
    private static String volumeAt(Map<String, Object> job, String path) {
        String name = null;
        for (Object m : (List<?>) at(job, "spec.template.spec.containers.0.volumeMounts")) {
            if (path.equals(map(m).get("mountPath"))) {
                name = (String) map(m).get("name");
            }
        }
        assertNotNull(name, "nothing is mounted at " + path);
        for (Object v : (List<?>) at(job, "spec.template.spec.volumes")) {
            Map<String, Object> volume = map(v);
            if (name.equals(volume.get("name"))) {
                if (volume.containsKey("persistentVolumeClaim")) {
                    return "pvc:" + at(volume, "persistentVolumeClaim.claimName");
                }
                return "configMap:" + at(volume, "configMap.name");
            }
        }
        throw new AssertionError("no volume named " + name);
    }

    private static String option(String command, String name) {
        Matcher m = Pattern.compile(name + "\\s+(\\S+)").matcher(command);
        assertTrue(m.find(), name + " in: " + command);
        return m.group(1);
    }

    @Test
    void theStudyDirectoryIsOneVolumeEveryNodeCanWrite() {
        assertEquals("PersistentVolumeClaim", claim.get("kind"));
        assertEquals(List.of("ReadWriteMany"), at(claim, "spec.accessModes"));
        assertEquals("storage", map(at(claim, "metadata.labels")).get("edgeq.dev/step"));
    }

    @Test
    void cellsJobIsIndexedWithOnePodPerCellAndNoRestartInPlace() {
        assertEquals("batch/v1", cells.get("apiVersion"));
        assertEquals("Job", cells.get("kind"));
        assertEquals("Indexed", at(cells, "spec.completionMode"));
        int completions = ((Number) at(cells, "spec.completions")).intValue();
        int parallelism = ((Number) at(cells, "spec.parallelism")).intValue();
        assertTrue(completions > 0 && parallelism > 0 && parallelism <= completions, completions + "/" + parallelism);
        assertEquals("Never", at(cells, "spec.template.spec.restartPolicy"));
        // The docs fill in the cell count with sed on this exact marker.
        assertEquals(1, Pattern.compile("(?m)^  completions: \\d+ # CELLS").matcher(text).results().count());
        Map<String, Object> resources = map(at(cells, "spec.template.spec.containers.0.resources"));
        assertEquals(at(resources, "requests.cpu"), at(resources, "limits.cpu"), "a cell's CPU share is its limit");
        assertEquals(List.of(2), at(cells, "spec.podFailurePolicy.rules.0.onExitCodes.values"), "bad input fails all");
    }

    @Test
    void eachCellPodRunsRunCellWithItsCompletionIndexOnTheSharedVolume() {
        String command = shellCommand(cells);
        assertTrue(command.contains("edgeq study run-cell "), command);
        assertEquals("\"$JOB_COMPLETION_INDEX\"", option(command, "--index"));
        assertEquals("pvc:" + at(claim, "metadata.name"), volumeAt(cells, option(command, "--out")));
        assertTrue(volumeAt(cells, "/etc/edgeq").startsWith("configMap:"), "the study file comes from a ConfigMap");
        assertTrue(option(command, "--study").startsWith("/etc/edgeq/"), command);
    }

    @Test
    void mergeJobReadsTheSameStudyAndDirectoryWithTheSameImage() {
        String command = shellCommand(merge);
        String cellCommand = shellCommand(cells);
        assertTrue(command.contains("edgeq study merge "), command);
        assertEquals(option(cellCommand, "--study"), option(command, "--study"));
        assertEquals(option(cellCommand, "--out"), option(command, "--out"));
        assertEquals(volumeAt(cells, option(cellCommand, "--out")), volumeAt(merge, option(command, "--out")));
        assertEquals(volumeAt(cells, "/etc/edgeq"), volumeAt(merge, "/etc/edgeq"));
        assertEquals(at(cells, "spec.template.spec.containers.0.image"),
                at(merge, "spec.template.spec.containers.0.image"), "one EdgeQ build for cells and merge");
        assertEquals("merge", map(at(merge, "metadata.labels")).get("edgeq.dev/step"));
        assertEquals("cells", map(at(cells, "metadata.labels")).get("edgeq.dev/step"));
    }

    @Test
    void theCellShellCommandPassesThePodsIndexToEdgeq() throws Exception {
        // Runs the pod's command line with a stub edgeq on PATH that prints its arguments, as pod 3 would.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path stub = bin.resolve("edgeq");
        Files.writeString(stub, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        assertTrue(stub.toFile().setExecutable(true));
        ScaleOut.Result r = ScaleOut.run(tmp, Map.of("PATH", bin + ":/usr/bin:/bin", "JOB_COMPLETION_INDEX", "3"), 30,
                List.of("/bin/sh", "-c", shellCommand(cells)));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(List.of("study", "run-cell", "--study", "/etc/edgeq/study.yaml", "--index", "3", "--out",
                "/study"), r.out().lines().toList());
    }
}
