package org.edgeq.quant;

import static org.edgeq.quant.SeedFixtures.assertSameFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The seed's multi-point quantization (multipoint_quantization.py) replayed against golden/seed/quant-multipoint.json:
 * torch 1.13 / scipy 1.10 runs with numpy's generator seeded, whose candidate multipliers k the fixture records.
 * Fed the same k, EdgeQ picks the same a* at every step and ends with the seed's float32 tensor bit for bit (the
 * seed's arithmetic is float32 throughout: grid, r/a, the binning, a·q, torch.norm, the residual, torch.sum).
 */
class SeedMultiPointGoldenTest {
    private static final JsonNode ROOT = SeedFixtures.load("quant-multipoint.json");

    @Test
    void replayingNumpysDrawsGivesTheSeedsScalesAndWeightsBitForBit() {
        int replayed = 0;
        for (JsonNode c : ROOT.get("cases")) {
            if (c.has("raises")) continue;
            int bits = c.get("bits").asInt();
            String what = "module '" + c.get("module").asText() + "' at " + bits + " bits";
            SeedFixtures.Tensor t = SeedFixtures.Tensor.of(c.get("input"));
            JsonNode steps = c.get("steps");
            MultiPointQuantizer q = new MultiPointQuantizer(0, replay(steps, what));
            QuantizedTensor.MultiPoint m = q.quantize(t.values(), t.shape(), bits, 0);
            assertEquals(bits + 1, m.points(), what);
            JsonNode grid = c.get("grid");
            float[] ours = MultiPointQuantizer.grid(t.values(), bits);
            if (grid.has("entries")) assertSameFloats(SeedFixtures.floats(grid.get("entries")), ours, what + ": grid");
            else assertEquals(grid.get("sha256_f64le").asText(), SeedFixtures.sha256(LandmarkSet.ofFloats(ours, bits).entries()), what + ": grid (digest)");
            for (int s = 0; s < steps.size(); s++) {
                float a = (float) SeedFixtures.f64(steps.get(s).get("a"));
                assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(m.terms().get(s).scale()), what + ": a* of step " + s);
            }
            assertSameFloats(SeedFixtures.floats(c.get("result")), m.dequantize(), what + ": the quantized weights");
            replayed++;
        }
        assertTrue(replayed >= 40, "cases replayed: " + replayed);
    }

    @Test
    void gammaIsHalfTheSmallestGapOverTwoToThePMinusOneMinusOneFlooredAtTwoToMinusNine() {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.has("raises")) continue;
            SeedFixtures.Tensor t = SeedFixtures.Tensor.of(c.get("input"));
            // γ of the first step comes from the weights themselves
            assertEquals(SeedFixtures.f64(c.get("steps").get(0).get("gamma")), MultiPointQuantizer.gamma(t.values(), c.get("bits").asInt()), 0,
                    c.get("module").asText() + " at " + c.get("bits").asInt());
        }
    }

    @Test
    void whereTheSeedFailsEdgeQRefusesOneBitAndRoundsANegativeGridAscending() {
        assertTrue(ROOT.get("bits1_raises").asText().startsWith("ZeroDivisionError"));
        float[] w = {0.3f, -0.2f, 0.1f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiPointQuantizer(1).quantize(w, new int[]{3}, 1));
        assertTrue(e.getMessage().contains("2^(p−1) − 1"), e.getMessage());
        for (JsonNode c : ROOT.get("cases")) {
            if (!c.has("raises")) continue;
            // all-negative weights: K = max(w) < 0 gives a descending grid, which scipy refuses; EdgeQ goes on
            assertTrue(c.get("raises").asText().startsWith("ValueError"), c.get("raises").asText());
            SeedFixtures.Tensor t = SeedFixtures.Tensor.of(c.get("input"));
            QuantizedTensor.MultiPoint m = new MultiPointQuantizer(5).quantize(t.values(), t.shape(), c.get("bits").asInt());
            for (float v : m.dequantize()) assertTrue(Float.isFinite(v), c.get("module").asText() + ": " + v);
            float[] grid = m.terms().getFirst().grid();
            for (int i = 1; i < grid.length; i++) assertTrue(grid[i - 1] <= grid[i], "the grid is rounded onto ascending");
        }
    }

    /** A candidate source that hands out the multipliers numpy drew, checking population and count first. */
    static MultiPointQuantizer.CandidateDraw replay(JsonNode steps, String what) {
        return (streamKey, step, population, count) -> {
            JsonNode s = steps.get(step);
            long[] ks = SeedFixtures.longs(s.get("k"));
            assertEquals(s.get("top").asLong() + 1, population, what + ": I + 1 at step " + step);
            assertEquals(ks.length, count, what + ": candidates at step " + step);
            return ks;
        };
    }
}
