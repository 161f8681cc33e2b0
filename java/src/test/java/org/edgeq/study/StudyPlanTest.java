package org.edgeq.study;

import org.edgeq.quant.observe.ObserverKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyPlanTest {

    static BaseModelSpec base(String dataset, long seed) {
        return new BaseModelSpec(dataset, "dense-simple", "edgeq", 2, null, null, 200, seed);
    }

    static List<Variant> ptq(List<Integer> bits) {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant.Baseline());
        for (PtqPlan p : PtqPlans.expand(List.of("rounding"), null, bits)) v.add(new Variant.Ptq(p, null, false, ObserverKind.MIN_MAX, 16));
        return v;
    }

    static List<String> ids(StudyPlan p) {
        return p.cells().stream().map(StudyCell::id).toList();
    }

    @Test
    void theSameSpecGivesTheSameIdsInTheSameOrder() {
        StudySpec spec = new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8, 4)));
        StudySpec again = new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8, 4)));
        assertEquals(ids(StudyPlan.of(spec)), ids(StudyPlan.of(again)));
        assertTrue(ids(StudyPlan.of(spec)).stream().allMatch(id -> id.matches("[0-9a-f]{12}")), ids(StudyPlan.of(spec)).toString());
    }

    @Test
    void cellsAreBasesTimesVariantsIndexedWithBaseModelsOutermost() {
        StudyPlan p = StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1), base("synthetic-regression", 1)),
                ptq(List.of(8, 4))));
        assertEquals(6, p.size());
        for (int i = 0; i < 6; i++) assertEquals(i, p.cells().get(i).index());
        assertEquals(List.of("synthetic-blobs", "synthetic-blobs", "synthetic-blobs", "synthetic-regression", "synthetic-regression",
                "synthetic-regression"), p.cells().stream().map(c -> c.base().dataset()).toList());
        assertEquals("synthetic-regression/dense-simple rounding-uniform-4bit", p.cell(5).label());
    }

    @Test
    void changingTheBitsOfOneVariantChangesOnlyThatCellsId() {
        List<String> before = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8, 4, 2)))));
        List<String> after = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8, 3, 2)))));
        assertEquals(before.get(0), after.get(0), "fp32");
        assertEquals(before.get(1), after.get(1), "8 bits");
        assertNotEquals(before.get(2), after.get(2), "4 bits became 3");
        assertEquals(before.get(3), after.get(3), "2 bits");
    }

    @Test
    void aCellsIdDependsOnItsOwnDefinitionNotOnItsPlaceOrItsNeighbours() {
        String alone = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(4))))).get(1);
        String among = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-regression", 1), base("synthetic-blobs", 1)),
                ptq(List.of(16, 8, 4))))).get(4 + 3);
        assertEquals(alone, among);
    }

    @Test
    void theBaseModelsSeedIsPartOfEveryId() {
        List<String> plain = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8)))));
        List<String> seed2 = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 2)), ptq(List.of(8)))));
        for (int i = 0; i < plain.size(); i++) assertNotEquals(plain.get(i), seed2.get(i));
    }

    @Test
    void hwsimCellsAreVariantsOfTheirOwnSoAddingThemKeepsEveryOtherId() {
        List<Variant> withHwsim = new ArrayList<>(ptq(List.of(8, 4)));
        withHwsim.add(new Variant.Hwsim(8, 8, 32, 16));
        withHwsim.add(new Variant.Hwsim(4, 8, 32, 16));
        List<String> plain = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8, 4)))));
        List<String> hwsim = ids(StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), withHwsim)));
        assertEquals(plain, hwsim.subList(0, plain.size()), "the finished cells keep their ids");
        assertEquals(plain.size() + 2, hwsim.size());
        assertEquals(2, new java.util.HashSet<>(hwsim.subList(plain.size(), hwsim.size())).size(), "two new distinct ids");
        assertTrue(hwsim.subList(plain.size(), hwsim.size()).stream().noneMatch(plain::contains));
    }

    @Test
    void anHwsimVariantNamesEverySettingInItsCanonicalText() {
        Variant.Hwsim v = new Variant.Hwsim(4, 8, 16, 3);
        assertEquals("hwsim bits=4 act=8 acc=16 rounding=double calibration=3", v.canonical());
        assertEquals("hwsim-w4a8-acc16", v.label());
        assertNotEquals(v.canonical(), new Variant.Hwsim(4, 8, 32, 3).canonical());
        assertThrows(IllegalArgumentException.class, () -> new Variant.Hwsim(16, 8, 32, 3));
    }

    @Test
    void theIdIsTheHashOfTheCanonicalTextsAndNothingElse() {
        BaseModelSpec b = base("synthetic-blobs", 1);
        Variant v = new Variant.Baseline();
        assertEquals(BaseModelKey.hash12(b.canonical() + "\n" + v.canonical()), StudyCell.idOf(b, v));
    }

    @Test
    void labelsTellApartBaseModelsThatDifferOnlyInTheirSeed() {
        StudyPlan p = StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1), base("synthetic-blobs", 2)), List.of(new Variant.Baseline())));
        assertEquals(List.of("synthetic-blobs/dense-simple seed 1 fp32", "synthetic-blobs/dense-simple seed 2 fp32"),
                p.cells().stream().map(StudyCell::label).toList());
    }

    @Test
    void aRepeatedCellAndAnIndexOutOfRangeAreBadUsage() {
        BadUsageException twice = assertThrows(BadUsageException.class, () -> StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)),
                List.of(new Variant.Baseline(), new Variant.Baseline()))));
        assertTrue(twice.getMessage().contains("repeats the cell synthetic-blobs/dense-simple fp32"), twice.getMessage());
        StudyPlan p = StudyPlan.of(new StudySpec(List.of(base("synthetic-blobs", 1)), ptq(List.of(8))));
        BadUsageException out = assertThrows(BadUsageException.class, () -> p.cell(2));
        assertTrue(out.getMessage().contains("outside 0..1"), out.getMessage());
    }
}
