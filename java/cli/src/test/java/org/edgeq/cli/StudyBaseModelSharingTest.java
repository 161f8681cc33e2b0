package org.edgeq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Separate run-cell processes started together (a job array's tasks) train their shared base model once. */
class StudyBaseModelSharingTest {
    @TempDir
    Path dir;

    @Test
    void twoRunCellProcessesStartedTogetherTrainTheBaseModelOnceAndBothUseIt() throws Exception {
        Path out = dir.resolve("study");
        List<String> planned = StudyCommandTest.plannedIds(StudyCommandTest.SPEC);
        List<Process> tasks = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> command = new ArrayList<>(ChildProcessRunner.javaCommand());
            command.addAll(List.of("study", "run-cell", "--index", Integer.toString(i), "--out", out.toString(),
                    "--latency-seconds", "0", "--latency-iterations", "3"));
            command.addAll(List.of(StudyCommandTest.SPEC));
            Path log = dir.resolve("task-" + i + ".log");
            logs.add(log);
            tasks.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(tasks.get(i).waitFor(120, TimeUnit.SECONDS), "task " + i + " finished");
            assertEquals(0, tasks.get(i).exitValue(), Files.readString(logs.get(i)));
            assertTrue(Files.exists(out.resolve("cells").resolve(planned.get(i) + ".csv")));
        }
        long firstEpochs = 0;
        for (Path log : logs) firstEpochs += Files.readAllLines(log).stream().filter(l -> l.startsWith("base ") && l.contains(" epoch 1/")).count();
        assertEquals(1, firstEpochs, "one task trained, the other waited for it");
        try (Stream<Path> models = Files.list(out.resolve("models"))) {
            List<String> names = models.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), "the model and its lock file, no temporary folder left: " + names);
            assertTrue(names.get(1).equals(names.get(0) + ".lock"), names.toString());
        }
    }
}
