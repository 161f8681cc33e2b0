package org.edgeq.hwsim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.data.BoundedInput;
import org.edgeq.data.Quote;

/**
 * Energy per operation and per access of an energy model, in picojoules, with where the figures come from. The
 * default is Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014, 45 nm at 0.9 V:
 * integer add 0.03 pJ (8-bit) / 0.1 pJ (32-bit), multiply 0.2 / 3.1 pJ; FP16 add 0.4, multiply 1.1; FP32 add 0.9,
 * multiply 3.7; a 64-bit SRAM (cache) read 10 / 20 / 100 pJ at 8 KB / 32 KB / 1 MB; a 64-bit DRAM access 1.3 to 2.6 nJ
 * (here the midpoint, 1.95 nJ). Two figures are EdgeQ's, derived by stated rules and labelled so: a register-file
 * access (1 KB, from the SRAM figures' sqrt-of-capacity trend: 10 pJ x sqrt(1/8) = 3.54 pJ per 64 bits) and every
 * integer width the paper does not list (see {@link #intAdd} and {@link #intMult}).
 *
 * <p>A user table (JSON object) overrides any subset of the keys; unknown keys, non-numbers and negative values are
 * refused naming the key. Scaling to another process node ({@link #scaledTo}): dynamic energy C V^2 with C
 * proportional to the feature size, applied to logic and on-chip memories; DRAM access energy is left as it is (it
 * is dominated by the interface, not the logic node).
 */
public record EnergyTable(String source, double nodeNm, double vddV, double int8AddPj, double int32AddPj, double int8MultPj,
                          double int32MultPj, double fp16AddPj, double fp32AddPj, double fp16MultPj, double fp32MultPj,
                          double reg64Pj, double sram8kb64Pj, double sram32kb64Pj, double sram1mb64Pj, double dram64Pj) {

    public static final String HOROWITZ = "Horowitz, ISSCC 2014, 45 nm, 0.9 V";

    /** JSON keys, in the order the table lists them. */
    public static final String[] KEYS = {"source", "node_nm", "vdd_v", "int8_add_pj", "int32_add_pj", "int8_mult_pj", "int32_mult_pj",
            "fp16_add_pj", "fp32_add_pj", "fp16_mult_pj", "fp32_mult_pj", "reg_64b_pj", "sram_8kb_64b_pj", "sram_32kb_64b_pj",
            "sram_1mb_64b_pj", "dram_64b_pj"};

    /** Horowitz's 45 nm table, with EdgeQ's derived register-file figure. */
    public static EnergyTable horowitz45nm() {
        return new EnergyTable(HOROWITZ, 45, 0.9, 0.03, 0.1, 0.2, 3.1, 0.4, 0.9, 1.1, 3.7,
                10 * Math.sqrt(1.0 / 8), 10, 20, 100, 1950);
    }

    /** The figures as a key-to-value map (what --json prints and an override file may name). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("node_nm", nodeNm);
        m.put("vdd_v", vddV);
        m.put("int8_add_pj", int8AddPj);
        m.put("int32_add_pj", int32AddPj);
        m.put("int8_mult_pj", int8MultPj);
        m.put("int32_mult_pj", int32MultPj);
        m.put("fp16_add_pj", fp16AddPj);
        m.put("fp32_add_pj", fp32AddPj);
        m.put("fp16_mult_pj", fp16MultPj);
        m.put("fp32_mult_pj", fp32MultPj);
        m.put("reg_64b_pj", reg64Pj);
        m.put("sram_8kb_64b_pj", sram8kb64Pj);
        m.put("sram_32kb_64b_pj", sram32kb64Pj);
        m.put("sram_1mb_64b_pj", sram1mb64Pj);
        m.put("dram_64b_pj", dram64Pj);
        return m;
    }

    /**
     * This table with the keys of the JSON object {@code json} replaced; {@code origin} names the input in errors
     * and in the new source label (unless the object sets "source").
     *
     * @throws IllegalArgumentException naming the key: unknown, not a number (or for "source" not a string),
     *                                  negative, or zero where a positive value is needed (node_nm, vdd_v)
     */
    public EnergyTable override(String json, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not valid JSON: " + Quote.inMessage(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(origin + ": the energy table must be a JSON object");
        Map<String, Object> values = toMap();
        StringBuilder changed = new StringBuilder();
        boolean ownSource = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(origin + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (key.equals("source")) {
                if (!v.isTextual()) throw new IllegalArgumentException(origin + ": key 'source' must be a string");
                values.put(key, v.asText());
                ownSource = true;
                continue;
            }
            if (!v.isNumber()) throw new IllegalArgumentException(origin + ": key '" + key + "' must be a number, got " + v);
            double d = v.asDouble();
            if (!Double.isFinite(d) || d < 0) throw new IllegalArgumentException(origin + ": key '" + key + "' must be >= 0, got " + v);
            if ((key.equals("node_nm") || key.equals("vdd_v")) && d == 0) {
                throw new IllegalArgumentException(origin + ": key '" + key + "' must be > 0");
            }
            values.put(key, d);
            changed.append(changed.isEmpty() ? "" : ", ").append(key);
        }
        if (!ownSource && !changed.isEmpty()) values.put("source", source + ", overridden by " + origin + " (" + changed + ")");
        return fromMap(values);
    }

    /** {@link #override(String, String)} with the content of {@code file}. */
    public EnergyTable override(Path file) throws IOException {
        byte[] bytes = BoundedInput.readAllBytes(file, BoundedInput.JSON_CAP,
                reason -> new IllegalArgumentException(file + ": " + reason));
        try {
            return override(BoundedInput.utf8(bytes), file.toString());
        } catch (BoundedInput.NotUtf8Exception e) {
            throw new IllegalArgumentException(file + ":" + e.line() + ": " + e.reason());
        }
    }

    private static EnergyTable fromMap(Map<String, Object> m) {
        return new EnergyTable((String) m.get("source"), d(m, "node_nm"), d(m, "vdd_v"), d(m, "int8_add_pj"), d(m, "int32_add_pj"),
                d(m, "int8_mult_pj"), d(m, "int32_mult_pj"), d(m, "fp16_add_pj"), d(m, "fp32_add_pj"), d(m, "fp16_mult_pj"),
                d(m, "fp32_mult_pj"), d(m, "reg_64b_pj"), d(m, "sram_8kb_64b_pj"), d(m, "sram_32kb_64b_pj"), d(m, "sram_1mb_64b_pj"),
                d(m, "dram_64b_pj"));
    }

    private static double d(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * The table at another node and supply voltage: logic and on-chip memory energies times (node / nodeNm) x
     * (vdd / vddV)^2 (C V^2 with capacitance proportional to feature size: a first-order rule, optimistic below
     * about 20 nm where wires stop scaling); DRAM unchanged.
     */
    public EnergyTable scaledTo(double node, double vdd) {
        if (!(node > 0) || !(vdd > 0)) throw new IllegalArgumentException("node and vdd must be > 0, got " + node + " nm and " + vdd + " V");
        if (node == nodeNm && vdd == vddV) return this;
        double f = (node / nodeNm) * (vdd / vddV) * (vdd / vddV);
        String label = source + ", scaled to " + fmt(node) + " nm, " + fmt(vdd) + " V by C V^2 with C ~ node (x" + String.format(Locale.ROOT, "%.3f", f)
                + "; DRAM unscaled)";
        return new EnergyTable(label, node, vdd, int8AddPj * f, int32AddPj * f, int8MultPj * f, int32MultPj * f, fp16AddPj * f,
                fp32AddPj * f, fp16MultPj * f, fp32MultPj * f, reg64Pj * f, sram8kb64Pj * f, sram32kb64Pj * f, sram1mb64Pj * f, dram64Pj);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Integer adder of {@code bits}: proportional to width up to 8 bits (int8 x bits / 8), linear between the 8- and
     * 32-bit figures above (EdgeQ's rule; Horowitz lists 8 and 32 bits only).
     */
    public double intAdd(int bits) {
        if (bits < 1 || bits > 32) throw new IllegalArgumentException("adder width must be 1..32, got " + bits);
        if (bits <= 8) return int8AddPj * bits / 8.0;
        return int8AddPj + (int32AddPj - int8AddPj) * (bits - 8) / 24.0;
    }

    /**
     * Integer multiplier of a {@code wBits} x {@code aBits} product: proportional to the partial-product count
     * wBits x aBits up to 8 x 8 (int8 x p / 64), linear in p between the 8x8 and 32x32 figures above (EdgeQ's rule).
     */
    public double intMult(int wBits, int aBits) {
        if (wBits < 1 || aBits < 1 || wBits > 32 || aBits > 32) throw new IllegalArgumentException("multiplier widths must be 1..32, got " + wBits + "x" + aBits);
        double p = (double) wBits * aBits;
        if (p <= 64) return int8MultPj * p / 64;
        return int8MultPj + (int32MultPj - int8MultPj) * (p - 64) / (1024 - 64);
    }

    /** Energy of moving {@code bits} through a 64-bit-wide memory whose access costs {@code per64}. */
    static double access(double per64, double bits) {
        return per64 * bits / 64;
    }

    /**
     * The per-64-bit SRAM figure for a buffer that must hold {@code bytes}: the smallest of 8 KB, 32 KB, 1 MB that
     * holds it, or the 1 MB figure beyond (the table's largest).
     */
    public double sram64For(long bytes) {
        if (bytes <= 8 * 1024) return sram8kb64Pj;
        if (bytes <= 32 * 1024) return sram32kb64Pj;
        return sram1mb64Pj;
    }

    /** "8 KB", "32 KB" or "1 MB": the SRAM level {@link #sram64For} picks. */
    public static String sramLevelFor(long bytes) {
        return bytes <= 8 * 1024 ? "8 KB" : bytes <= 32 * 1024 ? "32 KB" : bytes <= 1024 * 1024 ? "1 MB" : "1 MB (exceeded)";
    }
}
