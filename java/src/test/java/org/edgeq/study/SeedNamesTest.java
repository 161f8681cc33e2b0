package org.edgeq.study;

import org.edgeq.data.Datasets;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedNamesTest {

    private static ResultRow.Recipe ptq(QuantMethod m, LandmarkSetKind set) {
        return ResultRow.Recipe.method(m.cliName()).withSet(set == null ? null : set.cliName()).withWeightBits(4);
    }

    @Test
    void theSeedsMethodsAndSetsAreWrittenUnderTheSeedsNames() {
        assertEquals("regular_rounding", SeedNames.quantMethod(ptq(QuantMethod.ROUNDING, LandmarkSetKind.UNIFORM)));
        assertEquals("uniform_range", SeedNames.binMethod(ptq(QuantMethod.ROUNDING, LandmarkSetKind.UNIFORM)));
        assertEquals("stochastic_rounding", SeedNames.quantMethod(ptq(QuantMethod.STOCHASTIC, LandmarkSetKind.IQR)));
        assertEquals("uniform_range_IQR", SeedNames.binMethod(ptq(QuantMethod.STOCHASTIC, LandmarkSetKind.IQR)));
        assertEquals("histogram", SeedNames.binMethod(ptq(QuantMethod.ROUNDING, LandmarkSetKind.HISTOGRAM)));
        assertEquals("mid_rise", SeedNames.quantMethod(ptq(QuantMethod.MID_RISE, null)));
        assertEquals("full_range", SeedNames.binMethod(ptq(QuantMethod.MID_RISE, null)), "mid-rise's own range");
        assertEquals("range_IQR", SeedNames.binMethod(ptq(QuantMethod.MID_RISE, LandmarkSetKind.IQR)));
        assertEquals("multi-point", SeedNames.quantMethod(ptq(QuantMethod.MULTIPOINT, null)));
    }

    @Test
    void edgeqsOwnMethodsAndSetsKeepTheirNames() {
        assertEquals("affine", SeedNames.quantMethod(ptq(QuantMethod.AFFINE, LandmarkSetKind.INT_ASYMMETRIC)));
        assertEquals("int-asym", SeedNames.binMethod(ptq(QuantMethod.AFFINE, LandmarkSetKind.INT_ASYMMETRIC)));
        assertEquals("fp32", SeedNames.quantMethod(ResultRow.Recipe.fp32()));
        assertEquals(null, SeedNames.binMethod(ResultRow.Recipe.fp32()));
        ResultRow.Recipe qat = ResultRow.Recipe.method("qat-rounding").withSet("histogram");
        assertEquals("qat-rounding", SeedNames.quantMethod(qat), "the seed had no such PTQ row");
        assertEquals("histogram", SeedNames.binMethod(qat));
        ResultRow.Recipe pruned = ResultRow.Recipe.method("prune-oneshot+rounding").withSet("uniform");
        assertEquals("prune-oneshot+rounding", SeedNames.quantMethod(pruned));
        assertEquals("uniform_range", SeedNames.binMethod(pruned), "the quantizer after pruning is the seed's");
    }

    @Test
    void edgeqsSortedNormalSetIsNotWrittenAsTheSeedsPriorNormal() {
        assertEquals("normal", SeedNames.binMethod(ptq(QuantMethod.ROUNDING, LandmarkSetKind.NORMAL)));
        assertEquals("prior_normal", SeedNames.binMethod(ptq(QuantMethod.ROUNDING, LandmarkSetKind.PRIOR_NORMAL)));
    }

    @Test
    void readingTheSeedsNamesGivesBackWhatTheWriterWrote() {
        for (QuantMethod m : List.of(QuantMethod.MID_RISE, QuantMethod.ROUNDING, QuantMethod.STOCHASTIC, QuantMethod.MULTIPOINT)) {
            List<LandmarkSetKind> sets = m.usesLandmarkSet()
                    ? List.of(LandmarkSetKind.UNIFORM, LandmarkSetKind.IQR, LandmarkSetKind.HISTOGRAM, LandmarkSetKind.PRIOR_NORMAL)
                    : m == QuantMethod.MID_RISE ? Arrays.asList(null, LandmarkSetKind.IQR) : Arrays.asList((LandmarkSetKind) null);
            for (LandmarkSetKind k : sets) {
                ResultRow.Recipe r = ptq(m, k);
                SeedNames.Translation t = SeedNames.fromSeed(SeedNames.quantMethod(r), SeedNames.binMethod(r));
                assertEquals(new SeedNames.Translation(r.method(), r.set(), true, true), t, m + " " + k);
            }
        }
    }

    @Test
    void theSeedTablesOtherSpellingsAreKnownToo() {
        assertEquals(new SeedNames.Translation("rounding", "prior-normal", true, true), SeedNames.fromSeed("normal_rounding", "prior_normal"));
        assertEquals(new SeedNames.Translation("mid-rise", null, true, true), SeedNames.fromSeed("mid-rise", ""));
        assertEquals(new SeedNames.Translation("mid-rise", "iqr", true, true), SeedNames.fromSeed("mid-rise_iqr", ""));
        assertEquals(new SeedNames.Translation("mid-rise", "iqr", true, true), SeedNames.fromSeed("mid_rise", "IQR_range"));
        assertEquals(new SeedNames.Translation("fp32", null, true, true), SeedNames.fromSeed("no rounding", ""));
        assertEquals(new SeedNames.Translation("stochastic", null, true, true), SeedNames.fromSeed("stochastic", ""), "EdgeQ's own names");
        assertEquals(new SeedNames.Translation("new_rounding", "odd_range", false, false), SeedNames.fromSeed("new_rounding", "odd_range"));
        for (String seedName : List.of("mid_rise", "mid-rise", "mid-rise_iqr", "regular_rounding", "normal_rounding",
                "stochastic_rounding", "multi-point", "full_range", "range_IQR", "uniform_range", "uniform_range_IQR", "histogram", "prior_normal")) {
            assertTrue(SeedNames.known().containsKey(seedName), seedName);
        }
    }

    @Test
    void seedModelFileNamesMapToEdgeqsDatasetsAndArchitectures() {
        assertEquals(new SeedNames.Model("churn", "dense-simple", true), SeedNames.model("churn_simple.pt"));
        assertEquals(new SeedNames.Model("telescope", "dense-complex", true), SeedNames.model("telescope_complex.pt"));
        assertEquals(new SeedNames.Model("fashion-mnist", "cnn-seed", true), SeedNames.model("fmnist_cnn_model.pt"));
        assertEquals(new SeedNames.Model("cifar10", "resnet9", true), SeedNames.model("cifar_resnet9_model.pt"));
        assertEquals(new SeedNames.Model("california", "dense-simple", true), SeedNames.model("california_simple.pt"));
        assertEquals(new SeedNames.Model("cifar10", "cifar_resnet50_model.pt", false), SeedNames.model("cifar_resnet50_model.pt"));
        assertEquals(new SeedNames.Model(null, "model.pt", false), SeedNames.model("model.pt"));
        List<String> models = Arrays.stream(ModelChoice.values()).map(ModelChoice::cliName).toList();
        for (String seed : List.of("churn_simple.pt", "mv_complex.pt", "fmnist_cnn_model.pt", "cifar_resnet9_model.pt")) {
            SeedNames.Model m = SeedNames.model(seed);
            assertTrue(models.contains(m.model()), m + " is an architecture of 'edgeq train --model'");
            assertTrue(Datasets.NAMES.contains(m.dataset()) || m.dataset().equals("cifar10"), m.toString());
        }
        assertFalse(Datasets.NAMES.contains("cifar10"), "when CIFAR-10 becomes a built-in name, check that it is this one");
    }
}
