package org.edgeq.quant;

import static org.edgeq.quant.SeedFixtures.assertSameFloats;
import static org.edgeq.quant.SeedFixtures.assertWithinUlps;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The seed's regular rounding against scipy 1.10 (golden/seed/quant-rounding.json): for every fixture module, set
 * and width 1..16 the fixture holds what {@code scipy.stats.binned_statistic} gives (rounding_quant) or the error
 * it raises, and rounding_quant_old's result. Where scipy accepts the set EdgeQ's rounding is its binning, bit for
 * bit (the rounded values are set entries, float32 in the seed's uniform and IQR sets; histogram entries are
 * float64 sums of float32 edges, exact in float32); where scipy refuses it (prior_normal's order, one midpoint at
 * p = 1, repeated entries of a constant tensor) it is rounding_quant_old's element rule. prior_normal entries are
 * scipy's float64 quantiles cast to float32: within 1 float32 ulp.
 */
class SeedRoundingGoldenTest {
    private static final JsonNode ROOT = SeedFixtures.load("quant-rounding.json");
    private static final Map<String, SeedFixtures.Module> MODULES = SeedFixtures.modules(ROOT);

    @Test
    void roundingIsScipysBinningWhereItAcceptsTheSetAndRoundingQuantOldWhereItRaises() {
        int binned = 0;
        int elementwise = 0;
        for (JsonNode c : ROOT.get("cases")) {
            SeedFixtures.Module m = MODULES.get(c.get("module").asText());
            int bits = c.get("bits").asInt();
            LandmarkSetKind kind = LandmarkSetKind.fromCliName(c.get("set").asText());
            LandmarkSet set = kind.build(m.pooled(), bits);
            for (String which : new String[]{"weight", "bias"}) {
                JsonNode expected = c.get(which);
                if (expected == null) continue;
                String what = which + " of module '" + m.name() + "' rounded to its " + kind + " set at " + bits + " bits";
                boolean scipyRaises = !expected.get("raises").isNull();
                assertEquals(!scipyRaises, set.isBinned(), what + ": scipy " + (scipyRaises ? "raises " + expected.get("raises").asText() : "bins it"));
                SeedFixtures.Tensor t = m.tensor(which);
                float[] got = new RoundingQuantizer(kind).quantize(t.values(), t.shape(), set, 0).dequantize();
                float[] want = SeedFixtures.floats(scipyRaises ? expected.get("elementwise") : expected.get("binned"));
                if (kind == LandmarkSetKind.PRIOR_NORMAL) {
                    for (int i = 0; i < want.length; i++) assertWithinUlps(want[i], got[i], 1, what + " element " + i);
                } else {
                    assertSameFloats(want, got, what);
                }
                if (scipyRaises) elementwise++;
                else binned++;
            }
        }
        // every module, set and width: 7 modules with a bias, 1 without
        assertEquals(4 * 16 * 15, binned + elementwise);
    }

    @Test
    void explicitSetsPinTiesTheRightmostEdgeRuleAndTheStoredOrder() {
        for (JsonNode c : ROOT.get("explicit")) {
            String what = c.get("name").asText();
            boolean float32 = c.get("dtype").asText().equals("float32");
            int n = c.get("set").size();
            int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
            LandmarkSet set = float32 ? LandmarkSet.ofFloats(SeedFixtures.floats(c.get("set")), bits)
                    : LandmarkSet.ofDoubles(SeedFixtures.doubles(c.get("set")), bits);
            boolean scipyRaises = !c.get("raises").isNull();
            assertEquals(!scipyRaises, set.isBinned(), what);
            float[] w = SeedFixtures.floats(c.get("weights"));
            float[] got = new RoundingQuantizer(LandmarkSetKind.UNIFORM).quantize(w, new int[]{w.length}, set, 0).dequantize();
            assertSameFloats(SeedFixtures.floats(scipyRaises ? c.get("elementwise") : c.get("binned")), got, what);
            SeedStochasticGoldenTest.assertBrackets(set, w, c.get("stochastic"), what);
        }
    }
}
