package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SharedData;
import org.edgeq.data.SplitFile;
import org.edgeq.data.SplitIndices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --limit N} trains on a sample of the data, not on its first rows (defect 8 of issue 11). */
class TrainLimitTest {
    @TempDir
    Path dir;

    @Test
    void telescopeWithALimitOf600HasBothClassesInEverySplitAndATestAccuracyBelowOne() throws Exception {
        Path telescope = SharedData.require("telescope.dat"); // sorted by class: every g row before the first h row
        Path out = dir.resolve("m");
        CliTest.Run r = CliTest.run("train", "--dataset", telescope.toString(), "--limit", "600", "--epochs", "2", "--out",
                out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals(600, j.get("train_samples").asInt());
        assertEquals(150, j.get("test_samples").asInt());
        assertTrue(j.get("test_acc").asDouble() < 1.0, "a sample of both classes is not separated perfectly: " + j);

        Dataset data = new Datasets(telescope.getParent()).resolve("telescope", null).dataset();
        SplitIndices split = SplitFile.read(out.resolve("split.json"), data.name(), data.size());
        for (int[] part : new int[][]{split.train(), split.validation(), split.test()}) {
            long g = Arrays.stream(part).filter(i -> data.labels()[i] == 0).count();
            assertTrue(g > 0 && g < part.length, "both classes in a split of " + part.length + " rows (" + g + " of class 0)");
        }
    }
}
