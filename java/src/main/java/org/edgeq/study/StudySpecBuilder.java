package org.edgeq.study;

import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a study's settings as given ({@link StudySettings}, from flags or a study file) into the {@link StudySpec}
 * they describe: each key not given takes its default ({@link StudyDefaults}), every value is checked against the
 * allowed ones, and a bad one is refused where it was written, naming what is allowed.
 *
 * <p>Variants come in report order: the FP32 baseline, PTQ (method × set × bits × activation bits), with hwsim on
 * the integer simulator at each PTQ width of 2..8 (W8A8 where there is none), QAT (bits ×
 * LSQ × activation bits), the seed's QAT (method × bits), pruning (schedule × scope × ratio), each pruning again
 * quantized (prune-then-quantize), distillation (student × QAT bits). Base models are dataset × model × seed.
 */
public final class StudySpecBuilder {

    /** The seed's QAT methods (every method but affine, which is EdgeQ's QAT of qat-bits). */
    private static final List<String> SEED_QAT_METHODS = List.of("mid-rise", "rounding", "stochastic", "multipoint", "multipoint-grid");
    private static final Pattern WHOLE = Pattern.compile("\\d+");
    private static final int MAX_EPOCHS = 100_000;

    private final StudySettings given;
    /** Whether the settings came from a study file: defaults are then named as keys, not as flags. */
    private final boolean fromFile;

    private StudySpecBuilder(StudySettings given) {
        this.given = given;
        this.fromFile = given.byKey().values().stream().anyMatch(s -> s.file() != null);
    }

    /** The study {@code settings} describe; a bad value raises BadUsageException (a flag) or BadInputException (FILE:LINE). */
    public static StudySpec build(StudySettings settings) {
        return new StudySpecBuilder(settings).spec();
    }

    private StudySpec spec() {
        List<BaseModelSpec> bases = bases();
        List<String> datasets = bases.stream().map(BaseModelSpec::dataset).distinct().toList();
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant.Baseline());
        variants.addAll(ptq());
        if (flag(StudyKey.HWSIM)) variants.addAll(hwsim());
        List<Integer> qatBits = widths(StudyKey.QAT_BITS, 2);
        int qatEpochs = whole(one(StudyKey.QAT_EPOCHS), 1, MAX_EPOCHS);
        variants.addAll(qat(qatBits, qatEpochs));
        variants.addAll(seedQat(qatBits, qatEpochs));
        variants.addAll(prune());
        variants.addAll(distill(datasets));
        return new StudySpec(distinct(bases, BaseModelSpec::canonical), distinct(variants, Variant::canonical));
    }

    // ---- base models

    private List<BaseModelSpec> bases() {
        List<Item> datasets = list(StudyKey.DATASET);
        if (datasets.isEmpty()) throw setting(StudyKey.DATASET).error(null, name(StudyKey.DATASET) + " needs at least one dataset (allowed: "
                + String.join(", ", StudyNames.DATASETS) + ")");
        for (Item d : datasets) {
            if (!StudyNames.DATASETS.contains(d.text())) throw d.error(name(StudyKey.DATASET) + ": unknown dataset '" + d.text() + "' (allowed: "
                    + String.join(", ", StudyNames.DATASETS) + ")");
        }
        List<Item> models = given.get(StudyKey.MODEL) == null ? null : list(StudyKey.MODEL);
        if (models != null) {
            if (models.isEmpty()) throw setting(StudyKey.MODEL).error(null, name(StudyKey.MODEL)
                    + " needs at least one model, or leave it out for each dataset's default (allowed: " + String.join(", ", StudyNames.MODELS) + ")");
            for (Item m : models) {
                if (!StudyNames.MODELS.contains(m.text())) throw m.error(name(StudyKey.MODEL) + ": unknown model '" + m.text() + "' (allowed: "
                        + String.join(", ", StudyNames.MODELS) + ")");
            }
        }
        Item presetItem = one(StudyKey.PRESET);
        if (presetItem != null && !StudyNames.PRESETS.contains(presetItem.text())) {
            throw presetItem.error(name(StudyKey.PRESET) + ": unknown preset '" + presetItem.text() + "' (allowed: " + String.join(", ", StudyNames.PRESETS) + ")");
        }
        Item epochsItem = one(StudyKey.EPOCHS);
        Integer epochs = epochsItem == null ? null : whole(epochsItem, 1, MAX_EPOCHS);
        Item lrItem = one(StudyKey.LR);
        Float lr = lrItem == null ? null : positive(lrItem);
        Item batchItem = one(StudyKey.BATCH_SIZE);
        Integer batch = batchItem == null ? null : whole(batchItem, 1, 65_536); // the CLI's BatchSizes.MAX
        int limit = whole(one(StudyKey.LIMIT), 0, Integer.MAX_VALUE);
        List<Item> seedItems = list(StudyKey.SEED);
        if (seedItems.isEmpty()) throw setting(StudyKey.SEED).error(null, name(StudyKey.SEED) + " needs at least one seed");
        List<Long> seeds = new ArrayList<>();
        for (Item s : seedItems) seeds.add(longValue(s));

        List<BaseModelSpec> bases = new ArrayList<>();
        for (Item d : datasets) {
            String dataset = d.text();
            List<Item> mine = models != null ? models : List.of(new Item(setting(StudyKey.MODEL), StudyNames.defaultModel(dataset), 0));
            for (Item m : mine) {
                if (StudyNames.IMAGE_MODELS.contains(m.text()) && !StudyNames.isImages(dataset)) {
                    throw m.error(name(StudyKey.MODEL) + " " + m.text() + " needs images, and dataset " + dataset + " is tabular (allowed for it: "
                            + String.join(", ", StudyNames.TABULAR_MODELS) + ")");
                }
                String preset = presetItem != null ? presetItem.text() : StudyNames.defaultPreset(dataset);
                for (long seed : seeds) bases.add(new BaseModelSpec(dataset, m.text(), preset, epochs, lr, batch, limit, seed));
            }
        }
        return bases;
    }

    // ---- post-training quantization

    private List<Variant> ptq() {
        List<Item> methods = list(StudyKey.METHODS);
        if (methods.isEmpty()) return List.of();
        Set<QuantMethod> chosen = new LinkedHashSet<>();
        for (Item m : methods) {
            // PtqPlans' own check, one method at a time so that a bad one is reported on its line
            for (PtqPlan p : expand(List.of(m.text()), null, List.of(16), m)) chosen.add(p.method());
        }
        List<String> sets = new ArrayList<>();
        for (Item s : list(StudyKey.SETS)) {
            try {
                LandmarkSetKind k = LandmarkSetKind.fromCliName(s.text());
                // the default sets are the seed's four, each where it applies; sets that were asked for must apply
                if (given.get(StudyKey.SETS) != null || chosen.stream().anyMatch(k::appliesTo)) sets.add(s.text());
            } catch (IllegalArgumentException e) {
                throw s.error(name(StudyKey.SETS) + ": " + e.getMessage());
            }
        }
        List<Integer> bits = widths(StudyKey.BITS, 1);
        if (bits.isEmpty()) throw setting(StudyKey.BITS).error(null, name(StudyKey.BITS) + " needs at least one width (allowed: 1..16)");
        List<PtqPlan> plans = expand(methods.stream().map(Item::text).toList(), sets, bits, null);
        List<Integer> actBits = optionalWidths(StudyKey.ACT_BITS);
        boolean perChannel = flag(StudyKey.PER_CHANNEL);
        List<Variant> out = new ArrayList<>();
        for (PtqPlan p : plans) {
            for (Integer a : actBits) out.add(new Variant.Ptq(p, a, perChannel, ObserverKind.MIN_MAX, StudyDefaults.CALIBRATION_BATCHES));
        }
        return out;
    }

    /**
     * The integer simulator's variants: one per PTQ weight width in 2..8 (the widths integer inference takes), with
     * 8-bit activations and a 32-bit accumulator as 'edgeq hwsim' defaults to; W8A8 alone where bits has none.
     */
    private List<Variant> hwsim() {
        List<Integer> widths = widths(StudyKey.BITS, 1).stream().filter(b -> b >= 2 && b <= 8).toList();
        if (widths.isEmpty()) widths = List.of(8);
        List<Variant> out = new ArrayList<>();
        for (int w : widths) out.add(new Variant.Hwsim(w, 8, 32, StudyDefaults.CALIBRATION_BATCHES));
        return out;
    }

    /**
     * {@link PtqPlans#expand} of the study's methods, sets and bits, named as the user wrote them; its refusal is
     * reported at {@code at} where given, else at the setting its message names.
     */
    private List<PtqPlan> expand(List<String> methods, List<String> sets, List<Integer> bits, Item at) {
        return expand(methods, sets, bits, at, StudyKey.METHODS, StudyKey.SETS, StudyKey.BITS);
    }

    private List<PtqPlan> expand(List<String> methods, List<String> sets, List<Integer> bits, Item at,
                                 StudyKey methodKey, StudyKey setKey, StudyKey bitsKey) {
        PtqPlans.Names names = new PtqPlans.Names(name(methodKey), name(setKey), name(bitsKey));
        try {
            return PtqPlans.expand(methods, sets, bits, names);
        } catch (BadUsageException e) {
            if (at != null) throw at.error(e.getMessage());
            StudySettings.Setting where = null;
            for (StudyKey k : List.of(methodKey, setKey, bitsKey)) {
                String n = name(k);
                if (given.get(k) != null && (e.getMessage().startsWith(n + " ") || e.getMessage().startsWith(n + ":"))) where = given.get(k);
            }
            // a clash with a default (say bits 1 with the default affine): reported where the user wrote something
            for (StudyKey k : List.of(bitsKey, setKey, methodKey)) if (where == null) where = given.get(k);
            if (where == null) throw e;
            throw where.error(null, e.getMessage());
        }
    }

    // ---- quantization-aware training

    private List<Variant> qat(List<Integer> bits, int epochs) {
        Item lsqItem = one(StudyKey.QAT_LSQ);
        List<Boolean> lsq = switch (lsqItem.text()) {
            case "no", "false" -> List.of(false);
            case "yes", "true" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw lsqItem.error(name(StudyKey.QAT_LSQ) + ": '" + lsqItem.text() + "' is not allowed (allowed: no, yes, both)");
        };
        List<Integer> actBits = optionalWidths(StudyKey.QAT_ACT_BITS);
        Variant.Training training = new Variant.Training(epochs, null, null);
        List<Variant> out = new ArrayList<>();
        for (int b : bits) {
            for (boolean l : lsq) {
                for (Integer a : actBits) out.add(new Variant.Qat(b, a, l, training));
            }
        }
        return out;
    }

    private List<Variant> seedQat(List<Integer> qatBits, int epochs) {
        List<Item> methods = list(StudyKey.SEED_QAT);
        if (methods.isEmpty()) return List.of();
        for (Item m : methods) {
            QuantMethod q = null;
            try {
                q = QuantMethod.fromCliName(m.text()); // the seed's names (regular_rounding, ...) too, as methods takes them
            } catch (IllegalArgumentException e) {
                // refused below with the list of the seed's QAT methods
            }
            if (q == null || q == QuantMethod.AFFINE) throw m.error(name(StudyKey.SEED_QAT) + ": '" + m.text()
                    + "' is not one of the seed's QAT methods (allowed: " + String.join(", ", SEED_QAT_METHODS) + "; affine is the QAT of "
                    + name(StudyKey.QAT_BITS) + ")");
        }
        if (qatBits.isEmpty()) throw methods.getFirst().error(name(StudyKey.SEED_QAT) + " trains at the widths of " + name(StudyKey.QAT_BITS)
                + ", which is empty (allowed: 2..16)");
        List<Variant> out = new ArrayList<>();
        Variant.Training training = new Variant.Training(epochs, null, null);
        for (PtqPlan p : expand(methods.stream().map(Item::text).toList(), null, qatBits, null, StudyKey.SEED_QAT, StudyKey.SETS, StudyKey.QAT_BITS)) {
            out.add(new Variant.SeedQat(p, training));
        }
        return out;
    }

    // ---- pruning

    private List<Variant> prune() {
        List<Item> ratioItems = list(StudyKey.PRUNE_RATIOS);
        if (ratioItems.isEmpty()) return List.of();
        List<Double> ratios = new ArrayList<>();
        for (Item r : ratioItems) {
            double v = number(r);
            if (!(v >= 0 && v < 1)) throw r.error(name(StudyKey.PRUNE_RATIOS) + " " + r.text() + " is not allowed (allowed: [0, 1), the fraction of weights removed)");
            if (!ratios.contains(v)) ratios.add(v);
        }
        List<PruneSchedule> schedules = new ArrayList<>();
        for (Item s : list(StudyKey.PRUNE_SCHEDULES)) {
            try {
                schedules.add(PruneSchedule.fromCliName(s.text()));
            } catch (IllegalArgumentException e) {
                throw s.error(name(StudyKey.PRUNE_SCHEDULES) + ": " + e.getMessage().replace("expected one of:", "allowed:"));
            }
        }
        List<PruneScope> scopes = new ArrayList<>();
        for (Item s : list(StudyKey.PRUNE_SCOPES)) {
            try {
                scopes.add(PruneScope.fromCliName(s.text()));
            } catch (IllegalArgumentException e) {
                throw s.error(name(StudyKey.PRUNE_SCOPES) + ": " + e.getMessage().replace("expected one of:", "allowed:"));
            }
        }
        if (schedules.isEmpty()) throw setting(StudyKey.PRUNE_SCHEDULES).error(null, name(StudyKey.PRUNE_SCHEDULES)
                + " needs at least one schedule (allowed: oneshot, gradual)");
        if (scopes.isEmpty()) throw setting(StudyKey.PRUNE_SCOPES).error(null, name(StudyKey.PRUNE_SCOPES)
                + " needs at least one scope (allowed: seed, layer, global, 2:4)");
        Item epochsItem = one(StudyKey.PRUNE_EPOCHS);
        Integer epochs = epochsItem == null ? null : whole(epochsItem, 0, MAX_EPOCHS);
        if (epochs != null && epochs == 0 && schedules.contains(PruneSchedule.GRADUAL)) {
            throw epochsItem.error(name(StudyKey.PRUNE_EPOCHS) + " 0 does not apply to " + name(StudyKey.PRUNE_SCHEDULES)
                    + " gradual (it prunes step by step while fine-tuning; allowed: 1.." + MAX_EPOCHS + ")");
        }
        List<PtqPlan> then = thenQuantize();

        List<Variant.Prune> plain = new ArrayList<>();
        for (PruneSchedule schedule : schedules) {
            int fineTune = epochs != null ? epochs
                    : schedule == PruneSchedule.GRADUAL ? StudyDefaults.PRUNE_EPOCHS_GRADUAL : StudyDefaults.PRUNE_EPOCHS_ONESHOT;
            Variant.Training training = new Variant.Training(fineTune, null, null);
            for (PruneScope scope : scopes) {
                // 2:4 removes exactly two of every four weights: one variant at 0.5, whatever the ratios
                List<Double> mine = scope == PruneScope.TWO_FOUR ? List.of(0.5) : ratios;
                for (double r : mine) plain.add(new Variant.Prune(schedule, scope, r, false, training, List.of()));
            }
        }
        List<Variant> out = new ArrayList<>(plain);
        if (!then.isEmpty()) {
            for (Variant.Prune p : plain) out.add(new Variant.Prune(p.schedule(), p.scope(), p.ratio(), false, p.training(), then));
        }
        return out;
    }

    /** The quantizations every pruned model also gets: prune-quantize-method (with its default set) at each prune-then-quantize width. */
    private List<PtqPlan> thenQuantize() {
        List<Integer> bits = widths(StudyKey.PRUNE_THEN_QUANTIZE, 1);
        Item method = one(StudyKey.PRUNE_QUANTIZE_METHOD);
        if (method.text().equals("all")) throw method.error(name(StudyKey.PRUNE_QUANTIZE_METHOD) + " takes one method (allowed: "
                + String.join(", ", Arrays.stream(QuantMethod.values()).map(QuantMethod::cliName).toList()) + ")");
        try {
            QuantMethod.fromCliName(method.text());
        } catch (IllegalArgumentException e) {
            throw method.error(name(StudyKey.PRUNE_QUANTIZE_METHOD) + ": " + e.getMessage().replace("quantization method", "method"));
        }
        if (bits.isEmpty()) return List.of();
        return expand(List.of(method.text()), null, bits, null, StudyKey.PRUNE_QUANTIZE_METHOD, StudyKey.SETS, StudyKey.PRUNE_THEN_QUANTIZE);
    }

    // ---- distillation

    private List<Variant> distill(List<String> datasets) {
        List<Item> students = list(StudyKey.DISTILL_STUDENTS);
        if (students.isEmpty()) return List.of();
        int epochs = whole(one(StudyKey.DISTILL_EPOCHS), 1, MAX_EPOCHS);
        List<Integer> qatBits = optionalWidths(StudyKey.DISTILL_QAT_BITS);
        String allowed = String.join(", ", StudyNames.MODELS) + "; dense:W,W,... for hidden widths";
        List<Variant> out = new ArrayList<>();
        for (Item s : students) {
            int colon = s.text().indexOf(':');
            String model = colon < 0 ? s.text() : s.text().substring(0, colon);
            if (!StudyNames.MODELS.contains(model)) throw s.error(name(StudyKey.DISTILL_STUDENTS) + ": unknown student '" + s.text()
                    + "' (allowed: " + allowed + ")");
            List<Integer> hidden = null;
            if (colon >= 0) {
                if (!model.equals("dense")) throw s.error(name(StudyKey.DISTILL_STUDENTS) + " " + s.text() + ": hidden widths apply to dense only ("
                        + model + " has fixed sizes; allowed: " + allowed + ")");
                hidden = new ArrayList<>();
                for (String w : s.text().substring(colon + 1).split("[,x]")) {
                    if (!WHOLE.matcher(w.strip()).matches() || Integer.parseInt(w.strip()) < 1 || w.strip().length() > 6) {
                        throw s.error(name(StudyKey.DISTILL_STUDENTS) + " " + s.text() + ": hidden widths are whole numbers >= 1, e.g. dense:32,16");
                    }
                    hidden.add(Integer.parseInt(w.strip()));
                }
            }
            for (String d : datasets) {
                if (StudyNames.REGRESSION_DATASETS.contains(d)) throw s.error(name(StudyKey.DISTILL_STUDENTS)
                        + ": distillation needs class labels, and dataset " + d + " is a regression set (leave the students out, or the dataset)");
                if (StudyNames.IMAGE_MODELS.contains(model) && !StudyNames.isImages(d)) throw s.error(name(StudyKey.DISTILL_STUDENTS)
                        + " " + model + " needs images, and dataset " + d + " is tabular (allowed for it: " + String.join(", ", StudyNames.TABULAR_MODELS)
                        + ", dense:W,W,...)");
            }
            for (Integer q : qatBits) {
                out.add(new Variant.Distill(model, hidden, StudyDefaults.DISTILL_TEMPERATURE, StudyDefaults.DISTILL_ALPHA, q,
                        new Variant.Training(epochs, null, null)));
            }
        }
        return out;
    }

    // ---- values

    /** One value as written (after splitting on commas), with the setting it belongs to for its error messages. */
    private record Item(StudySettings.Setting setting, String text, int line) {
        RuntimeException error(String reason) {
            return setting.error(new StudySettings.Value(text, line), reason);
        }
    }

    /** The setting as given, or its default (as if written on the command line). */
    private StudySettings.Setting setting(StudyKey key) {
        StudySettings.Setting s = given.get(key);
        if (s != null) return s;
        String text = defaultText(key);
        return new StudySettings.Setting(key, null, 0, text == null ? List.of() : List.of(new StudySettings.Value(text, 0)));
    }

    /** The key as the user spells it here: {@code bits} in a study file, {@code --bits} on the command line. */
    private String name(StudyKey key) {
        StudySettings.Setting s = given.get(key);
        if (s != null) return s.name();
        return fromFile ? key.key() : "--" + key.key();
    }

    /**
     * The values of a list key, split on commas, lower-cased; {@code none} alone is the empty list. Distillation
     * students keep the widths of dense:32,16 together.
     */
    private List<Item> list(StudyKey key) {
        StudySettings.Setting s = setting(key);
        List<Item> out = new ArrayList<>();
        for (StudySettings.Value v : s.values()) {
            for (String token : v.text().split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) continue;
                if (key == StudyKey.DISTILL_STUDENTS && WHOLE.matcher(t).matches() && !out.isEmpty() && out.getLast().text().contains(":")) {
                    Item last = out.removeLast();
                    out.add(new Item(s, last.text() + "," + t, last.line()));
                    continue;
                }
                out.add(new Item(s, t, v.line()));
            }
        }
        if (out.size() == 1 && out.getFirst().text().equals("none")) return List.of();
        if (out.size() > 1 && !optional(key)) {
            for (Item i : out) if (i.text().equals("none")) throw i.error(name(key) + ": none stands alone (it means an empty list)");
        }
        return out;
    }

    /** Keys whose lists may hold none as one of their values (a row without that quantization). */
    private static boolean optional(StudyKey key) {
        return key == StudyKey.ACT_BITS || key == StudyKey.QAT_ACT_BITS || key == StudyKey.DISTILL_QAT_BITS;
    }

    /** The value of a one-value key, lower-cased; null where it has no default and was not given. */
    private Item one(StudyKey key) {
        StudySettings.Setting s = setting(key);
        if (s.values().isEmpty()) return null;
        if (s.values().size() > 1 || s.values().getFirst().text().contains(",")) {
            throw s.error(s.values().getLast(), name(key) + " takes one value, got " + String.join(",", s.values().stream().map(StudySettings.Value::text).toList()));
        }
        StudySettings.Value v = s.values().getFirst();
        return new Item(s, v.text().strip().toLowerCase(Locale.ROOT), v.line());
    }

    private boolean flag(StudyKey key) {
        Item i = one(key);
        return switch (i.text()) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw i.error(name(key) + ": '" + i.text() + "' is not allowed (allowed: true, false)");
        };
    }

    /** Widths of a list key, each {@code min}..16, in order without repeats. */
    private List<Integer> widths(StudyKey key, int min) {
        List<Integer> out = new ArrayList<>();
        for (Item i : list(key)) {
            int b = whole(i, min, 16);
            if (!out.contains(b)) out.add(b);
        }
        return out;
    }

    /** Widths of an optional quantization (activations, a student's QAT), none (null) for the row without it; empty: none alone. */
    private List<Integer> optionalWidths(StudyKey key) {
        List<Integer> out = new ArrayList<>();
        for (Item i : list(key)) {
            Integer b = i.text().equals("none") ? null : whole(i, 2, 16);
            if (!out.contains(b)) out.add(b);
        }
        if (out.isEmpty()) out.add(null);
        return out;
    }

    private int whole(Item i, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(i.text());
        } catch (NumberFormatException e) {
            throw i.error(name(i.setting().key()) + ": '" + i.text() + "' is not a whole number (allowed: " + range(min, max) + ")");
        }
        if (v < min || v > max) throw i.error(name(i.setting().key()) + " " + v + " is not allowed (allowed: " + range(min, max) + ")");
        return v;
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    }

    private long longValue(Item i) {
        try {
            return Long.parseLong(i.text());
        } catch (NumberFormatException e) {
            throw i.error(name(i.setting().key()) + ": '" + i.text() + "' is not a whole number");
        }
    }

    private double number(Item i) {
        try {
            double v = Double.parseDouble(i.text());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below, with the key's name
        }
        throw i.error(name(i.setting().key()) + ": '" + i.text() + "' is not a number");
    }

    private float positive(Item i) {
        float v = (float) number(i);
        if (!(v > 0) || !Float.isFinite(v)) throw i.error(name(i.setting().key()) + " " + i.text() + " is not a positive number (allowed: > 0)");
        return v;
    }

    /** The default of {@code key} as text, null where it depends on the dataset or the preset (model, preset, epochs, lr, batch size, pruning's epochs). */
    static String defaultText(StudyKey key) {
        return switch (key) {
            case DATASET -> StudyDefaults.DATASET;
            case MODEL, PRESET, EPOCHS, LR, BATCH_SIZE, PRUNE_EPOCHS -> null;
            case LIMIT -> StudyDefaults.LIMIT;
            case SEED -> StudyDefaults.SEED;
            case METHODS -> StudyDefaults.METHODS;
            case SETS -> StudyDefaults.SETS;
            case BITS -> StudyDefaults.BITS;
            case ACT_BITS -> StudyDefaults.ACT_BITS;
            case PER_CHANNEL -> StudyDefaults.PER_CHANNEL;
            case QAT_BITS -> StudyDefaults.QAT_BITS;
            case QAT_LSQ -> StudyDefaults.QAT_LSQ;
            case QAT_ACT_BITS -> StudyDefaults.QAT_ACT_BITS;
            case QAT_EPOCHS -> StudyDefaults.QAT_EPOCHS;
            case SEED_QAT -> StudyDefaults.SEED_QAT;
            case PRUNE_RATIOS -> StudyDefaults.PRUNE_RATIOS;
            case PRUNE_SCHEDULES -> StudyDefaults.PRUNE_SCHEDULES;
            case PRUNE_SCOPES -> StudyDefaults.PRUNE_SCOPES;
            case PRUNE_THEN_QUANTIZE -> StudyDefaults.PRUNE_THEN_QUANTIZE;
            case PRUNE_QUANTIZE_METHOD -> StudyDefaults.PRUNE_QUANTIZE_METHOD;
            case DISTILL_STUDENTS -> StudyDefaults.DISTILL_STUDENTS;
            case DISTILL_EPOCHS -> StudyDefaults.DISTILL_EPOCHS;
            case DISTILL_QAT_BITS -> StudyDefaults.DISTILL_QAT_BITS;
            case HWSIM -> StudyDefaults.HWSIM;
        };
    }

    /** The items in order, each canonical form once: a repeated value would otherwise make two cells with one id. */
    private static <T> List<T> distinct(List<T> items, Function<T, String> canonical) {
        Map<String, T> m = new LinkedHashMap<>();
        for (T t : items) m.putIfAbsent(canonical.apply(t), t);
        return List.copyOf(m.values());
    }
}
