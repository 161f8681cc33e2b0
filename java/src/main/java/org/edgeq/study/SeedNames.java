package org.edgeq.study;

import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapping between EdgeQ's method and set names and the value names of the seed study's results tables
 * (quant_method, bin_method). The results writer uses it to fill the seed's columns, the seed-table reader to turn
 * the seed's names into EdgeQ's, so both always agree. EdgeQ's names come from {@link QuantMethod#cliName()} and
 * {@link LandmarkSetKind#cliName()}.
 */
public final class SeedNames {
    private SeedNames() {
    }

    /** The seed's quant_method names, as {@link QuantMethod#seedName()} gives them (the enum is their one home). */
    private static final Map<QuantMethod, String> METHODS = new EnumMap<>(QuantMethod.class);

    /** The seed's bin_method names of its landmark sets, as {@link LandmarkSetKind#seedName()} gives them. */
    private static final Map<LandmarkSetKind, String> SETS = new EnumMap<>(LandmarkSetKind.class);

    static {
        for (QuantMethod m : QuantMethod.values()) if (m.seedName() != null) METHODS.put(m, m.seedName());
        for (LandmarkSetKind k : LandmarkSetKind.values()) if (k.seedName() != null) SETS.put(k, k.seedName());
    }

    /** Other spellings of the same methods in the seed's tables (util_functions.quantization wrote normal_rounding). */
    private static final Map<String, QuantMethod> OTHER_METHOD_SPELLINGS = Map.of(
            "mid-rise", QuantMethod.MID_RISE,
            "normal_rounding", QuantMethod.ROUNDING);

    /** Mid-rise's own ranges, as the seed's code names them: the tensor's full range, or Q1-1.5IQR..Q3+1.5IQR. */
    static final String FULL_RANGE = "full_range";
    static final String RANGE_IQR = "range_IQR";

    /** Other spellings of mid-rise's IQR range (the combined tables wrote IQR_range). */
    private static final Map<String, LandmarkSetKind> OTHER_SET_SPELLINGS = Map.of("IQR_range", LandmarkSetKind.IQR);

    /** The seed's tables name mid-rise over the IQR range as one quant_method with an empty bin_method. */
    private static final String MID_RISE_IQR = "mid-rise_iqr";

    /** The archived tables' name for the unquantized model. */
    private static final String NO_ROUNDING = "no rounding";

    /**
     * The quant_method cell of a row: the seed's name where the row's method is exactly one of the seed's PTQ
     * methods, else EdgeQ's method name (fp32, affine, qat-..., prune-..., distill).
     */
    public static String quantMethod(ResultRow.Recipe recipe) {
        String method = recipe.method();
        QuantMethod m = edgeqMethod(method);
        return m != null && METHODS.containsKey(m) ? METHODS.get(m) : method;
    }

    /**
     * The bin_method cell of a row: the seed's name for a seed set (or mid-rise's range) of the row's quantizer,
     * else EdgeQ's set name, empty (null) where the row has no set and its quantizer is not mid-rise.
     */
    public static String binMethod(ResultRow.Recipe recipe) {
        String set = recipe.set();
        QuantMethod quantizer = edgeqMethod(quantizerOf(recipe.method()));
        LandmarkSetKind kind = edgeqSet(set);
        if (quantizer == QuantMethod.MID_RISE) {
            if (set == null || kind == LandmarkSetKind.UNIFORM) return FULL_RANGE;
            if (kind == LandmarkSetKind.IQR) return RANGE_IQR;
            return set;
        }
        if (quantizer != null && quantizer.usesLandmarkSet() && kind != null && SETS.containsKey(kind)) return SETS.get(kind);
        return set;
    }

    /**
     * The quantizer part of a row's method: the part after '+' (prune-oneshot+rounding), after "qat-" (qat-rounding),
     * else the method itself.
     */
    static String quantizerOf(String method) {
        if (method == null) return null;
        int plus = method.lastIndexOf('+');
        if (plus >= 0) return method.substring(plus + 1);
        if (method.startsWith("qat-")) return method.substring("qat-".length());
        return method;
    }

    /**
     * A seed table's quant_method and bin_method in EdgeQ's names. Unknown names are kept as they are and flagged,
     * so that a reader can report them.
     *
     * @param method      EdgeQ's method (fp32 for the unquantized model)
     * @param set         EdgeQ's set, null where the row has none
     * @param knownMethod whether the seed's quant_method was recognised
     * @param knownSet    whether the seed's bin_method was recognised (an empty one is)
     */
    public record Translation(String method, String set, boolean knownMethod, boolean knownSet) {
    }

    /** Translates the seed's {@code quantMethod} and {@code binMethod} (either may be empty) into EdgeQ's names. */
    public static Translation fromSeed(String quantMethod, String binMethod) {
        String qm = quantMethod == null ? "" : quantMethod.strip();
        String bm = binMethod == null ? "" : binMethod.strip();
        String method;
        LandmarkSetKind impliedSet = null;
        boolean knownMethod = true;
        if (qm.equals(NO_ROUNDING)) {
            method = ResultRow.FP32;
        } else if (qm.equals(MID_RISE_IQR)) {
            method = QuantMethod.MID_RISE.cliName();
            impliedSet = LandmarkSetKind.IQR;
        } else {
            QuantMethod m = seedMethod(qm);
            knownMethod = m != null;
            method = m != null ? m.cliName() : qm;
        }
        if (bm.isEmpty()) return new Translation(method, impliedSet == null ? null : impliedSet.cliName(), knownMethod, true);
        if (bm.equals(FULL_RANGE)) return new Translation(method, null, knownMethod, true); // mid-rise's default range
        LandmarkSetKind k = seedSet(bm);
        return new Translation(method, k != null ? k.cliName() : bm, knownMethod, k != null);
    }

    /** Every seed value name this mapping knows, with EdgeQ's name for it (for help and reports). */
    public static Map<String, String> known() {
        Map<String, String> m = new LinkedHashMap<>();
        METHODS.forEach((k, v) -> m.put(v, k.cliName()));
        OTHER_METHOD_SPELLINGS.forEach((k, v) -> m.put(k, v.cliName()));
        m.put(MID_RISE_IQR, QuantMethod.MID_RISE.cliName() + " --set " + LandmarkSetKind.IQR.cliName());
        m.put(NO_ROUNDING, ResultRow.FP32);
        SETS.forEach((k, v) -> m.put(v, k.cliName()));
        m.put(FULL_RANGE, QuantMethod.MID_RISE.cliName() + "'s full range");
        m.put(RANGE_IQR, LandmarkSetKind.IQR.cliName());
        OTHER_SET_SPELLINGS.forEach((k, v) -> m.put(k, v.cliName()));
        return m;
    }

    /**
     * A seed model file name (its tables' model column) in EdgeQ's terms.
     *
     * @param dataset EdgeQ's dataset name, null when the prefix is unknown
     * @param model   EdgeQ's architecture name, or the seed's file name as it is when unknown
     * @param known   whether both were recognised
     */
    public record Model(String dataset, String model, boolean known) {
    }

    /** The seed's dataset prefixes of model file names, with EdgeQ's dataset names (cifar10 has no built-in loader). */
    private static final Map<String, String> DATASETS = Map.of("churn", "churn", "telescope", "telescope",
            "california", "california", "mv", "mv", "fmnist", "fashion-mnist", "cifar", "cifar10");

    /** The seed's model suffixes with EdgeQ's architecture names (the seed's CNN is EdgeQ's cnn-seed). */
    private static final Map<String, String> MODELS = Map.of("simple", "dense-simple", "complex", "dense-complex",
            "complex_new", "dense-complex", "cnn_model", "cnn-seed", "resnet9_model", "resnet9");

    /** EdgeQ's names for a seed model file name such as churn_simple.pt or fmnist_cnn_model.pt. */
    public static Model model(String seedFileName) {
        String name = seedFileName == null ? "" : seedFileName.strip();
        String stem = name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name;
        int cut = stem.indexOf('_');
        String dataset = cut < 0 ? null : DATASETS.get(stem.substring(0, cut));
        String model = cut < 0 ? null : MODELS.get(stem.substring(cut + 1));
        return new Model(dataset, model != null ? model : name, dataset != null && model != null);
    }

    private static QuantMethod seedMethod(String name) {
        for (Map.Entry<QuantMethod, String> e : METHODS.entrySet()) if (e.getValue().equals(name)) return e.getKey();
        QuantMethod other = OTHER_METHOD_SPELLINGS.get(name);
        return other != null ? other : edgeqMethod(name);
    }

    private static LandmarkSetKind seedSet(String name) {
        for (Map.Entry<LandmarkSetKind, String> e : SETS.entrySet()) if (e.getValue().equals(name)) return e.getKey();
        if (name.equals(RANGE_IQR)) return LandmarkSetKind.IQR;
        LandmarkSetKind other = OTHER_SET_SPELLINGS.get(name);
        return other != null ? other : edgeqSet(name);
    }

    private static QuantMethod edgeqMethod(String name) {
        if (name == null) return null;
        try {
            return QuantMethod.fromCliName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LandmarkSetKind edgeqSet(String name) {
        if (name == null) return null;
        try {
            return LandmarkSetKind.fromCliName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
