package org.edgeq.quant;

import static org.edgeq.quant.SeedFixtures.assertWithinUlps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The seed's stochastic rounding (stochastic_quant) against golden/seed/quant-stochastic.json: for every element
 * of every fixture module, set and width 1..16 the fixture gives the value returned without a draw, or the lower
 * and upper entries and P(lower) = (upper − w)/(upper − lower) in float64. Those are checked exactly (bit for bit;
 * prior_normal's entries, float64 quantiles, within 1 float32 ulp and their probability to 1e-9); the draws, which
 * the seed takes from numpy's global generator and EdgeQ from Philox, are checked statistically.
 */
class SeedStochasticGoldenTest {
    private static final JsonNode ROOT = SeedFixtures.load("quant-stochastic.json");
    private static final Map<String, SeedFixtures.Module> MODULES = SeedFixtures.modules(ROOT);

    @Test
    void candidatesAndProbabilitiesAreTheSeeds() {
        int elements = 0;
        for (JsonNode c : ROOT.get("cases")) {
            SeedFixtures.Module m = MODULES.get(c.get("module").asText());
            int bits = c.get("bits").asInt();
            LandmarkSetKind kind = LandmarkSetKind.fromCliName(c.get("set").asText());
            LandmarkSet set = kind.build(m.pooled(), bits);
            for (String which : new String[]{"weight", "bias"}) {
                if (c.get(which) == null) continue;
                assertBrackets(set, m.tensor(which).values(), c.get(which), which + " of module '" + m.name() + "', " + kind + " set at " + bits + " bits");
                elements += c.get(which).size();
            }
        }
        assertTrue(elements > 4000, "elements checked: " + elements);
    }

    /**
     * Over 4000 seeds every undecided element takes its lower entry with frequency within 5 binomial standard
     * deviations of P(lower) (plus one draw's worth for rounding), and decided elements never move.
     */
    @Test
    void drawsTakeTheLowerEntryWithItsProbability() {
        int seeds = 4000;
        for (JsonNode c : ROOT.get("cases")) {
            int bits = c.get("bits").asInt();
            if (!c.get("module").asText().equals("random") || (bits != 2 && bits != 5 && bits != 12)) continue;
            SeedFixtures.Module m = MODULES.get("random");
            LandmarkSetKind kind = LandmarkSetKind.fromCliName(c.get("set").asText());
            LandmarkSet set = kind.build(m.pooled(), bits);
            float[] w = m.weight().values();
            int[] lower = new int[w.length];
            for (int s = 0; s < seeds; s++) {
                int[] codes = new StochasticRoundingQuantizer(kind, s).quantize(w, m.weight().shape(), set, 0).codes();
                for (int i = 0; i < w.length; i++) if (codes[i] == set.bracket(w[i]).lower()) lower[i]++;
            }
            for (int i = 0; i < w.length; i++) {
                JsonNode e = c.get("weight").get(i);
                String what = kind + " at " + bits + " bits, element " + i;
                if (e.size() == 1) {
                    assertEquals(seeds, lower[i], what + " has no choice");
                    continue;
                }
                double p = SeedFixtures.f64(e.get(2));
                double sigma = Math.sqrt(p * (1 - p) / seeds);
                assertEquals(p, lower[i] / (double) seeds, 5 * sigma + 1.0 / seeds, what);
            }
        }
    }

    /** Checks {@link LandmarkSet#bracket} of every value against the fixture's [value] or [lower, upper, P(lower)]. */
    static void assertBrackets(LandmarkSet set, float[] w, JsonNode expected, String what) {
        float[] stored = set.floats();
        boolean exact = set.isFloat32() || !what.contains("prior-normal");
        for (int i = 0; i < w.length; i++) {
            JsonNode e = expected.get(i);
            LandmarkSet.Bracket b = set.bracket(w[i]);
            String at = what + ", element " + i + " (w = " + w[i] + ")";
            if (e.size() == 1) {
                assertEquals(b.lower(), b.upper(), at + ": no draw");
                assertSame(SeedFixtures.f32(e.get(0)), stored[b.lower()], exact, at);
                continue;
            }
            assertSame(SeedFixtures.f32(e.get(0)), stored[b.lower()], exact, at + ": lower");
            assertSame(SeedFixtures.f32(e.get(1)), stored[b.upper()], exact, at + ": upper");
            double p = SeedFixtures.f64(e.get(2));
            if (exact) assertEquals(Double.doubleToLongBits(p), Double.doubleToLongBits(b.lowerProbability()), at + ": P(lower) " + p + " vs " + b.lowerProbability());
            else assertEquals(p, b.lowerProbability(), 1e-9, at + ": P(lower)");
        }
    }

    private static void assertSame(float expected, float actual, boolean exact, String what) {
        if (exact) assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": expected " + expected + " but was " + actual);
        else assertWithinUlps(expected, actual, 1, what);
    }
}
