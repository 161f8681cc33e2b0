package org.edgeq.cli;

import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.edgeq.cli.StudyCommandTest.FAST;
import static org.edgeq.cli.StudyCommandTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 'edgeq study --hwsim': integer-only rows, added to a finished study without rerunning its cells. */
class StudyHwsimCliTest {
    @TempDir
    Path dir;

    static final String[] SPEC = {"--dataset", "synthetic-blobs", "--methods", "affine", "--bits", "8,4", "--qat-bits", "none",
            "--prune-ratios", "none"};

    @Test
    void addingHwsimToAFinishedStudyRunsOnlyTheIntegerCellsAndWritesHwsimIntRows() throws Exception {
        Path out = dir.resolve("s");
        CliTest.Run plain = CliTest.run(args(new String[]{"study", "--out", out.toString()}, SPEC, FAST));
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().startsWith("3 cells, 0 already done"), plain.out());

        CliTest.Run hw = CliTest.run(args(new String[]{"study", "--out", out.toString()}, SPEC, FAST, new String[]{"--hwsim"}));
        assertEquals(0, hw.code(), hw.err());
        assertTrue(hw.out().startsWith("5 cells, 3 already done"), hw.out());
        assertTrue(!hw.err().contains("not run by the study"), hw.err());

        List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
        assertEquals(5, rows.size());
        List<ResultRow> integer = rows.stream().filter(r -> r.recipe().method().equals("hwsim-int")).toList();
        assertEquals(java.util.Set.of(8, 4), integer.stream().map(r -> r.recipe().wBits()).collect(java.util.stream.Collectors.toSet()),
                "one per --bits width, in whichever order the cells finished");
        for (ResultRow r : integer) {
            assertEquals(8, r.recipe().aBits());
            assertTrue(r.quality().testAcc() >= 0 && r.quality().testAcc() <= 1, r.toString());
            assertTrue(r.cost().estEnergyUjPerInference() > 0, r.toString());
            assertTrue(r.cost().sizeBytes() > 0, r.toString());
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("hwsim-int"), "the report shows the integer rows");
    }
}
