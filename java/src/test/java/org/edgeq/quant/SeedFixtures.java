package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the seed's golden fixtures (java/src/test/resources/golden/seed/quant-*.json, written by
 * java/src/test/python/seed_golden_quant.py from numpy/scipy/torch runs of the seed's rules) and compares floats
 * bit for bit or within float32 ulps.
 */
final class SeedFixtures {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SeedFixtures() {
    }

    static JsonNode load(String name) {
        try (InputStream in = SeedFixtures.class.getResourceAsStream("/golden/seed/" + name)) {
            if (in == null) throw new IllegalStateException("fixture golden/seed/" + name + " is missing from the test resources");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON number parsed straight to float from its decimal text (null: NaN, the seed's 0/0). */
    static float f32(JsonNode n) {
        return n == null || n.isNull() ? Float.NaN : Float.parseFloat(n.decimalValue().toString());
    }

    static double f64(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : Double.parseDouble(n.decimalValue().toString());
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = f32(array.get(i));
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = f64(array.get(i));
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).intValue();
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).longValue();
        return out;
    }

    /** One tensor of a fixture: its shape and float32 values. */
    record Tensor(int[] shape, float[] values) {
        static Tensor of(JsonNode n) {
            return n == null || n.isNull() ? null : new Tensor(ints(n.get("shape")), floats(n.get("values")));
        }
    }

    /** A module of the fixtures: a weight and its bias (or none), pooled as the seed pools them. */
    record Module(String name, Tensor weight, Tensor bias) {
        float[] pooled() {
            if (bias == null) return weight.values();
            float[] p = java.util.Arrays.copyOf(weight.values(), weight.values().length + bias.values().length);
            System.arraycopy(bias.values(), 0, p, weight.values().length, bias.values().length);
            return p;
        }

        Tensor tensor(String which) {
            return which.equals("weight") ? weight : bias;
        }
    }

    static Map<String, Module> modules(JsonNode root) {
        Map<String, Module> m = new LinkedHashMap<>();
        for (JsonNode n : root.get("modules")) {
            m.put(n.get("module").asText(), new Module(n.get("module").asText(), Tensor.of(n.get("weight")), Tensor.of(n.get("bias"))));
        }
        return m;
    }

    /** SHA-256 of the entries as little-endian float64, as the generator digests wide sets. */
    static String sha256(double[] entries) {
        ByteBuffer b = ByteBuffer.allocate(8 * entries.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double e : entries) b.putDouble(e);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertSameFloats(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToIntBits(expected[i]);
            int a = Float.floatToIntBits(actual[i]);
            if (e != a) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " (0x" + Integer.toHexString(e) + ") but was "
                        + actual[i] + " (0x" + Integer.toHexString(a) + ")");
            }
        }
    }

    /** Within {@code ulps} float32 units in the last place (for values the seed computes in float64 and casts). */
    static void assertWithinUlps(float expected, float actual, int ulps, String what) {
        float tol = ulps * Math.ulp(expected);
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " but was " + actual + " (more than " + ulps + " ulp)");
    }
}
