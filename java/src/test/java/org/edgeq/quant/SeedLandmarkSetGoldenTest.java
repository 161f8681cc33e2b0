package org.edgeq.quant;

import static org.edgeq.quant.SeedFixtures.assertSameFloats;
import static org.edgeq.quant.SeedFixtures.assertWithinUlps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The seed's landmark sets (unique_value_generator) at every width 1..16 for every fixture module, against
 * torch 1.13 / numpy 1.24 / scipy 1.10 runs of the seed's construction (golden/seed/quant-sets.json).
 * uniform_range, uniform_range_IQR and histogram are float32 arithmetic in the seed and match bit for bit;
 * prior_normal is float64 (scipy's norm.ppf) cast to float32 when stored and matches within 1 float32 ulp.
 */
class SeedLandmarkSetGoldenTest {
    private static final JsonNode ROOT = SeedFixtures.load("quant-sets.json");
    private static final Map<String, SeedFixtures.Module> MODULES = SeedFixtures.modules(ROOT);

    @Test
    void uniformIqrAndHistogramSetsAreTheSeedsBitForBit() {
        int checked = 0;
        for (JsonNode c : ROOT.get("sets")) {
            LandmarkSetKind kind = LandmarkSetKind.fromCliName(c.get("set").asText());
            if (kind == LandmarkSetKind.PRIOR_NORMAL) continue;
            LandmarkSet set = build(c);
            String what = describe(c);
            assertEquals(c.get("size").asInt(), set.size(), what);
            assertEquals(c.get("dtype").asText().equals("float32"), set.isFloat32(), what + ": the seed's dtype");
            if (c.has("entries")) {
                if (set.isFloat32()) assertSameFloats(SeedFixtures.floats(c.get("entries")), set.floats(), what);
                else assertEquals(java.util.Arrays.toString(SeedFixtures.doubles(c.get("entries"))), java.util.Arrays.toString(set.entries()), what);
            } else {
                int[] idx = SeedFixtures.ints(c.get("sample_index"));
                for (int i = 0; i < idx.length; i++) {
                    // float32 sets are written as float32 decimals, float64 ones as double decimals
                    double e = set.isFloat32() ? SeedFixtures.f32(c.get("sample").get(i)) : SeedFixtures.f64(c.get("sample").get(i));
                    assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(set.entry(idx[i])), what + " entry " + idx[i]);
                }
                assertEquals(c.get("sha256_f64le").asText(), SeedFixtures.sha256(set.entries()), what + ": every entry (digest)");
            }
            checked++;
        }
        assertEquals(8 * 3 * 16, checked);
    }

    @Test
    void priorNormalSetsAreTheSeedsWithinOneFloat32Ulp() {
        int checked = 0;
        for (JsonNode c : ROOT.get("sets")) {
            if (!c.get("set").asText().equals("prior-normal")) continue;
            String what = describe(c);
            SeedFixtures.Module m = MODULES.get(c.get("module").asText());
            // torch.mean and torch.std (unbiased) are float32 results in the seed: bit for bit
            assertSameFloats(new float[]{SeedFixtures.f32(c.get("mean")), SeedFixtures.f32(c.get("std"))},
                    new float[]{TorchCpuMath.mean(m.pooled()), TorchCpuMath.std(m.pooled())}, what + ": mean and std");
            LandmarkSet set = build(c);
            assertEquals(c.get("size").asInt(), set.size(), what);
            assertTrue(!set.isFloat32(), what + ": float64 like the seed's");
            int[] idx;
            double[] expected;
            if (c.has("entries")) {
                expected = SeedFixtures.doubles(c.get("entries"));
                idx = java.util.stream.IntStream.range(0, expected.length).toArray();
            } else {
                expected = SeedFixtures.doubles(c.get("sample"));
                idx = SeedFixtures.ints(c.get("sample_index"));
            }
            for (int i = 0; i < idx.length; i++) {
                if (Double.isNaN(expected[i])) {
                    // constant input: scipy's scale is 0 and its quantiles NaN; EdgeQ puts the mean there
                    assertEquals(TorchCpuMath.mean(m.pooled()), (float) set.entry(idx[i]), what + " entry " + idx[i]);
                    continue;
                }
                assertWithinUlps((float) expected[i], (float) set.entry(idx[i]), 1, what + " entry " + idx[i]);
            }
            // min and max are appended, unsorted, as exact float32 values
            assertEquals(expected[expected.length - 2], set.entry(set.size() - 2), 0, what + ": min second to last");
            assertEquals(expected[expected.length - 1], set.entry(set.size() - 1), 0, what + ": max last");
            checked++;
        }
        assertEquals(8 * 16, checked);
    }

    static LandmarkSet build(JsonNode c) {
        SeedFixtures.Module m = MODULES.get(c.get("module").asText());
        return LandmarkSetKind.fromCliName(c.get("set").asText()).build(m.pooled(), c.get("bits").asInt());
    }

    static String describe(JsonNode c) {
        return c.get("set").asText() + " of module '" + c.get("module").asText() + "' at " + c.get("bits").asInt() + " bits";
    }
}
