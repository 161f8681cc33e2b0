package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import static org.edgeq.quant.SeedFixtures.assertSameFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The seed's mid-rise, over the full range (mid_rise_quantization.py) and over the IQR range
 * (util_functions.quantization, bin_method range_IQR), against torch 1.13 runs (golden/seed/quant-midrise.json):
 * every fixture weight and bias at every width 1..16, bit for bit (the seed's arithmetic is float32; the IQR
 * whiskers are float64 and cast once). Where the seed gives NaN (0/0: a zero in a first-dimension-1 tensor, a
 * constant tensor) EdgeQ keeps the value; where an IQR of width 0 makes the seed's step 0 (NaN) EdgeQ uses the
 * full range.
 */
class SeedMidRiseGoldenTest {
    private static final JsonNode ROOT = SeedFixtures.load("quant-midrise.json");

    @Test
    void midRiseIsTheSeedsBitForBitAndKeepsTheValueWhereTheSeedGivesNaN() {
        int rows = 0;
        int nans = 0;
        java.util.Map<String, JsonNode> fullRange = new java.util.HashMap<>();
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("range").asText().equals("full")) fullRange.put(c.get("module").asText() + "/" + c.get("tensor").asText(), c.get("by_bits"));
        }
        for (JsonNode c : ROOT.get("cases")) {
            SeedFixtures.Tensor t = SeedFixtures.Tensor.of(c.get("input"));
            MidRiseQuantizer.Range range = c.get("range").asText().equals("iqr") ? MidRiseQuantizer.Range.IQR : MidRiseQuantizer.Range.FULL;
            MidRiseQuantizer q = new MidRiseQuantizer(Granularity.PER_TENSOR, range);
            JsonNode byBits = c.get("by_bits");
            for (int bits = 1; bits <= 16; bits++) {
                float[] want = SeedFixtures.floats(byBits.get(bits - 1));
                boolean constant = java.util.Arrays.stream(box(t.values())).distinct().count() == 1;
                boolean perElement = t.shape()[0] == 1;
                float[] full = SeedFixtures.floats(fullRange.get(c.get("module").asText() + "/" + c.get("tensor").asText()).get(bits - 1));
                for (int i = 0; i < want.length; i++) {
                    if (Float.isNaN(want[i])) {
                        want[i] = range == MidRiseQuantizer.Range.IQR && !constant && !perElement ? full[i] : t.values()[i];
                        nans++;
                    }
                }
                String what = c.get("tensor").asText() + " of module '" + c.get("module").asText() + "' " + t.shape().length + "-d, "
                        + range + " range, " + bits + " bits";
                assertSameFloats(want, q.quantize(t.values(), t.shape(), bits).dequantize(), what);
                rows++;
            }
        }
        assertEquals(15 * 2 * 16, rows);
        assertEquals(2 * 16 + 2 * 8 * 16 + 2 * 16, nans, "the seed's NaNs: the zero of the [1, 6] row and the constant module's 8 values "
                + "in both ranges, the 2-value bias whose IQR is 0");
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) b[i] = v[i];
        return b;
    }
}
