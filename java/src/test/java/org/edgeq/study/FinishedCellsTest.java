package org.edgeq.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinishedCellsTest {
    @TempDir
    Path dir;

    /** A plan of fp32 and one prune-then-quantize variant with two rows. */
    static StudyPlan plan() {
        BaseModelSpec b = StudyPlanTest.base("synthetic-blobs", 1);
        List<PtqPlan> two = PtqPlans.expand(List.of("rounding"), null, List.of(8, 4));
        Variant prune = new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.LAYER, 0.5, false, new Variant.Training(0, null, null), two);
        return StudyPlan.of(new StudySpec(List.of(b), List.of(new Variant.Baseline(), prune)));
    }

    static ResultRow row(String cellId, int bits) {
        return ResultRow.builder().dataset("synthetic-blobs").model("dense-simple").seed(1L)
                .recipe(ResultRow.Recipe.method("rounding").withWeightBits(bits)).testAcc(0.9).sizeBytes(100L)
                .edgeqVersion("test").cellId(cellId).build();
    }

    @Test
    void anAbsentFileHasNoFinishedCells() throws Exception {
        assertTrue(FinishedCells.repairAndRead(dir.resolve("results.csv"), plan()).isEmpty());
    }

    @Test
    void aLineCutOffByAKillIsDroppedAndTheRowsBeforeItStayByteForByte() throws Exception {
        StudyPlan p = plan();
        Path csv = dir.resolve("results.csv");
        ResultsCsv.open(csv).append(List.of(row(p.cell(0).id(), 32)));
        byte[] before = Files.readAllBytes(csv);
        Files.write(csv, ResultsCsv.text(List.of(row(p.cell(1).id(), 8)), false).substring(0, 40).getBytes(),
                java.nio.file.StandardOpenOption.APPEND);

        Map<String, String> done = FinishedCells.repairAndRead(csv, p);

        assertEquals(List.of(p.cell(0).id()), List.copyOf(done.keySet()));
        assertEquals(new String(before), Files.readString(csv), "the file ends after the last complete cell again");
        ResultsCsv.open(csv); // and it takes appends again (it refuses a cut-off last row)
    }

    @Test
    void aLastCellWithFewerRowsThanItsVariantMakesIsNotFinished() throws Exception {
        StudyPlan p = plan();
        Path csv = dir.resolve("results.csv");
        ResultsCsv.open(csv).append(List.of(row(p.cell(0).id(), 32)));
        byte[] before = Files.readAllBytes(csv);
        // The prune cell makes two rows; a kill in the middle of its write left the first whole line only.
        Files.writeString(csv, ResultsCsv.text(List.of(row(p.cell(1).id(), 8)), false), java.nio.file.StandardOpenOption.APPEND);

        Map<String, String> done = FinishedCells.repairAndRead(csv, p);

        assertEquals(List.of(p.cell(0).id()), List.copyOf(done.keySet()));
        assertEquals(new String(before), Files.readString(csv));
    }

    @Test
    void aCompleteFileIsLeftUntouchedAndEveryCellListedWithItsRows() throws Exception {
        StudyPlan p = plan();
        Path csv = dir.resolve("results.csv");
        ResultsCsv.open(csv).append(List.of(row(p.cell(0).id(), 32)));
        ResultsCsv.open(csv).append(List.of(row(p.cell(1).id(), 8), row(p.cell(1).id(), 4)));
        byte[] before = Files.readAllBytes(csv);

        Map<String, String> done = FinishedCells.repairAndRead(csv, p);

        assertEquals(List.of(p.cell(0).id(), p.cell(1).id()), List.copyOf(done.keySet()));
        assertEquals(2, done.get(p.cell(1).id()).lines().count());
        assertEquals(new String(before), Files.readString(csv));
    }

    @Test
    void aHeaderCutOffBeforeItsEndLeavesAnEmptyFile() throws Exception {
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, "dataset,model,se");
        assertTrue(FinishedCells.repairAndRead(csv, plan()).isEmpty());
        assertEquals(0, Files.size(csv));
    }

    @Test
    void aFileThatIsNotAResultsFileIsLeftAsItIs() throws Exception {
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, "name,value\nsomething,1\ncut");
        assertTrue(FinishedCells.repairAndRead(csv, plan()).isEmpty());
        assertEquals("name,value\nsomething,1\ncut", Files.readString(csv));
        Files.writeString(csv, "no newline at all");
        FinishedCells.repairAndRead(csv, plan());
        assertEquals("no newline at all", Files.readString(csv));
    }
}
