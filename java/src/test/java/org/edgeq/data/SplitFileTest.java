package org.edgeq.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitFileTest {
    @TempDir
    Path tmp;

    @Test
    void savedSplitReadsBackIdentically() throws Exception {
        Dataset d = DataSplitTest.imbalanced();
        SplitIndices s = DataSplit.sixtyTwentyTwenty(d, 5);
        Path f = tmp.resolve("split.json");
        SplitFile.write(f, "imb", d.size(), s);
        assertEquals(s, SplitFile.read(f, "imb", d.size()));
        assertFalse(Files.exists(tmp.resolve("split.json.tmp")), "no temporary file left behind");
    }

    @Test
    void splitForAnotherDatasetOrSizeOrWithBadIndicesIsRefused() throws Exception {
        Path f = tmp.resolve("split.json");
        SplitFile.write(f, "a", 4, new SplitIndices(new int[]{0, 1}, new int[]{2}, new int[]{3}));
        assertEquals(f + ": split is for dataset 'a', not 'b'",
                assertThrows(DataFormatException.class, () -> SplitFile.read(f, "b", 4)).getMessage());
        assertEquals(f + ": split is for 4 rows, the dataset has 5",
                assertThrows(DataFormatException.class, () -> SplitFile.read(f, "a", 5)).getMessage());
        Files.writeString(f, "{\"dataset\":\"a\",\"size\":4,\"train\":[0,1],\"validation\":[1],\"test\":[3]}");
        assertEquals(f + ": validation index 1 appears twice in the split",
                assertThrows(DataFormatException.class, () -> SplitFile.read(f, "a", 4)).getMessage());
        Files.writeString(f, "{\"dataset\":\"a\",\n\"size\":4,");
        assertEquals(true, assertThrows(DataFormatException.class, () -> SplitFile.read(f, "a", 4)).getMessage().startsWith(f + ":"));
    }
}
