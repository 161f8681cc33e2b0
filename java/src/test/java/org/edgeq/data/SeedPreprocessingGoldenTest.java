package org.edgeq.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed preset's data preparation on small hand-made copies of the seed's files, against the values that
 * java/src/test/python/seed_preprocessing_golden.py computed with numpy from the seed's rules (fixtures and expected
 * values under golden/seed-preprocessing/).
 */
class SeedPreprocessingGoldenTest {
    /** Features are parsed as float here and as float64 by the generator; scaled values agree to float rounding. */
    private static final double SCALED = 2e-6;

    static Path fixture(String name) {
        try {
            return Path.of(SeedPreprocessingGoldenTest.class.getResource("/golden/seed-preprocessing/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String name) throws Exception {
        return new ObjectMapper().readTree(fixture(name + ".expected.json").toFile());
    }

    private static SeedPreprocessing.Prepared prepare(Dataset loaded) {
        return SeedPreprocessing.forDataset(loaded.name()).orElseThrow().prepare(loaded);
    }

    @Test
    void californiaDropsTheCoordinatesTrimsTheTargetToItsQuantilesAndMinMaxScalesTheKeptRows() throws Exception {
        Dataset loaded = new KeelLoader().load(fixture("california_small.dat"));
        JsonNode want = expected("california");
        SeedPreprocessing.Prepared p = prepare(loaded);

        assertEquals(strings(want.get("features")), p.rows().featureNames(), "Longitude and Latitude dropped, the rest in file order");
        // 20 rows; the 5% quantile lies 0.95 of the way from the lowest target (14.999) to the next (22.5), so only
        // the lowest row (row 3) goes; the 95% quantile is the cap 500.001 itself, which both capped rows equal.
        DataSelection.TargetRange range = p.selection().targetRange();
        assertEquals(1000, range.divisor());
        assertEquals(14.999 + 0.95 * (22.5 - 14.999), range.low(), 1e-12);
        assertEquals(want.get("target_low").asDouble(), range.low(), 0.0);
        assertEquals(500.001, range.high(), 0.0, "ties at the cap give the cap exactly");
        assertEquals(want.get("target_high").asDouble(), range.high(), 0.0);
        int[] kept = ints(want.get("kept_rows"));
        assertEquals(19, kept.length);
        assertEquals(kept.length, p.rows().size());
        for (int i = 0; i < kept.length; i++) assertEquals(loaded.targets()[kept[i]], p.rows().targets()[i], "kept row " + i + " is file row " + kept[i]);
        assertTrue(java.util.Arrays.stream(kept).noneMatch(r -> r == 3), "the lowest target, 14,999 dollars, is below the 5% quantile");

        // Min-max fitted on the kept rows only: TotalBedrooms is 300 on all of them (999 only on the dropped row),
        // so it is constant there, gets range 1 as in scikit-learn and maps to 0.
        assertArrayEquals(floats(want.get("offset")), p.features().mean(), 1e-6f);
        assertArrayEquals(floats(want.get("scale")), p.features().std(), 1e-4f);
        assertEquals(300f, p.features().mean()[2]);
        assertEquals(1f, p.features().std()[2]);
        assertEquals(8.3252f - 0.4999f, p.features().std()[5], 1e-5f, "MedianIncome's range ignores the dropped row's 15.0001");
        float[] scaled = p.features().apply(p.rows()).features();
        assertArrayEquals(floats(want.get("x")), scaled, (float) SCALED);
        for (int i = 0; i < kept.length; i++) assertEquals(0f, scaled[i * 6 + 2], "the constant column maps to 0");

        // The model predicts thousands of dollars: a target scale of mean 0 and std 1000.
        assertArrayEquals(new float[]{0f}, p.target().mean());
        assertArrayEquals(new float[]{1000f}, p.target().std());
        assertArrayEquals(floats(want.get("y")), p.target().applyToTargets(p.rows()).targets(), 1e-4f);
    }

    @Test
    void californiaSelectionRecordedOnceSelectsTheSameRowsAgain() throws Exception {
        Dataset loaded = new KeelLoader().load(fixture("california_small.dat"));
        SeedPreprocessing.Prepared p = prepare(loaded);
        Dataset again = p.selection().apply(new KeelLoader().load(fixture("california_small.dat")));
        assertArrayEquals(p.rows().features(), again.features());
        assertArrayEquals(p.rows().targets(), again.targets());
    }

    @Test
    void mvMinMaxScalesEveryFeatureOnAllRowsAndLeavesTheTargetAlone() throws Exception {
        Dataset loaded = new KeelLoader().load(fixture("mv_small.dat"));
        JsonNode want = expected("mv");
        SeedPreprocessing.Prepared p = prepare(loaded);
        assertEquals(strings(want.get("features")), p.rows().featureNames());
        assertEquals(loaded.size(), p.rows().size(), "every row");
        assertNull(p.selection().targetRange());
        assertArrayEquals(floats(want.get("offset")), p.features().mean(), 1e-6f);
        assertArrayEquals(floats(want.get("scale")), p.features().std(), 1e-5f);
        assertEquals(1f, p.features().std()[7], "X8 is 1 on every row: range 1, scaled to 0");
        assertArrayEquals(floats(want.get("x")), p.features().apply(p.rows()).features(), (float) SCALED);
        assertArrayEquals(new float[]{0f}, p.target().mean());
        assertArrayEquals(new float[]{1f}, p.target().std());
        assertArrayEquals(floats(want.get("y")), p.target().applyToTargets(p.rows()).targets(), 0f);
    }

    @Test
    void churnPutsTheOneHotColumnsFirstUnscaledAndStandardisesTheRestOnAllRows() throws Exception {
        Dataset loaded = new ChurnCsvLoader().load(fixture("churn_small.csv"));
        JsonNode want = expected("churn");
        SeedPreprocessing.Prepared p = prepare(loaded);
        assertEquals(strings(want.get("features")), p.rows().featureNames());
        assertEquals(List.of("Geography=France", "Geography=Germany", "Geography=Spain", "Gender=Female", "Gender=Male", "CreditScore"),
                p.rows().featureNames().subList(0, 6), "the column transformer's order: encoded columns, then the remainder");
        assertArrayEquals(floats(want.get("offset")), p.features().mean(), 1e-2f);
        assertArrayEquals(floats(want.get("scale")), p.features().std(), 1e-2f);
        int hasCard = p.rows().featureNames().indexOf("HasCrCard");
        assertEquals(1f, p.features().mean()[hasCard], "HasCrCard is 1 on every row");
        assertEquals(1f, p.features().std()[hasCard], "a zero deviation counts as 1, so the column maps to 0");
        assertArrayEquals(floats(want.get("x")), p.features().apply(p.rows()).features(), (float) SCALED);
        assertArrayEquals(ints(want.get("labels")), p.rows().labels());
        assertNull(p.target());
    }

    @Test
    void telescopeStandardisesAllRowsWithSortedClassNumbers() throws Exception {
        Dataset loaded = new TelescopeLoader().load(fixture("telescope_small.dat"));
        JsonNode want = expected("telescope");
        SeedPreprocessing.Prepared p = prepare(loaded);
        assertEquals(loaded.featureNames(), p.rows().featureNames());
        assertArrayEquals(floats(want.get("offset")), p.features().mean(), 1e-4f);
        assertArrayEquals(floats(want.get("x")), p.features().apply(p.rows()).features(), (float) SCALED);
        assertArrayEquals(ints(want.get("labels")), p.rows().labels(), "g = 0, h = 1, as LabelEncoder numbers them");
    }

    @Test
    void theRealCaliforniaFileKeepsTheRowsNumpyKeeps() throws Exception {
        // numpy on ../shared/data/california.dat: quantile(target / 1000, [0.05, 0.95]) = [66.2, 489.8099999999999],
        // 18,577 of 20,640 rows within them, every one of the 965 rows at the 500,001 cap above.
        SeedPreprocessing.Prepared p = prepare(new KeelLoader().load(SharedData.require("california.dat")));
        assertEquals(66.2, p.selection().targetRange().low(), 0.0);
        assertEquals(489.8099999999999, p.selection().targetRange().high(), 0.0);
        assertEquals(18_577, p.rows().size());
        assertEquals(6, p.rows().featureCount());
    }

    @Test
    void onlyTheSeedsFourTabularSetsHaveAPreparationAndAWrongFileIsNamed() throws Exception {
        assertEquals(List.of("california", "mv", "churn", "telescope"), SeedPreprocessing.DATASETS);
        for (String name : SeedPreprocessing.DATASETS) assertTrue(SeedPreprocessing.forDataset(name).isPresent(), name);
        assertTrue(SeedPreprocessing.forDataset("fashion-mnist").isEmpty());
        assertTrue(SeedPreprocessing.forDataset("synthetic-regression").isEmpty());
        Dataset mv = new KeelLoader().load(fixture("mv_small.dat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CaliforniaSeedPreprocessing().prepare(mv));
        assertTrue(e.getMessage().contains("Longitude"), e.getMessage());
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}
