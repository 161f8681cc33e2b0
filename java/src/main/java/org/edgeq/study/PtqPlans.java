package org.edgeq.study;

import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.MidRiseQuantizer;
import org.edgeq.quant.MultiPointGridQuantizer;
import org.edgeq.quant.MultiPointQuantizer;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.StochasticRoundingQuantizer;
import org.edgeq.quant.WeightQuantizer;
import org.edgeq.quant.observe.ObserverKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Expands lists of post-training quantization methods, sets and widths into rows ({@link PtqPlan}), every
 * combination where the set applies to the method, and makes each row's weight quantizer. Anything that does not
 * fit is refused before any work is done, naming the option (or study-file key) it came from.
 */
public final class PtqPlans {

    /** What the three lists are called where they came from: command-line options, or a study file's keys. */
    public record Names(String method, String set, String bits) {
        /** The quantize command's options. */
        public static final Names OPTIONS = new Names("--method", "--set", "--bits");
    }

    private PtqPlans() {
    }

    /** {@link #expand(List, List, List, Names)} named as the quantize command's options. */
    public static List<PtqPlan> expand(List<String> methods, List<String> sets, List<Integer> bits) {
        return expand(methods, sets, bits, Names.OPTIONS);
    }

    /**
     * The rows of every method (or 'all') with each set that applies to it (its default set or format where none
     * given applies) at each width; a set that applies to none of the methods, an unknown name, or a width out of a
     * method's range is refused (exit 2). {@code sets} may be null (the defaults).
     */
    public static List<PtqPlan> expand(List<String> methods, List<String> sets, List<Integer> bits, Names names) {
        LinkedHashSet<QuantMethod> ms = new LinkedHashSet<>();
        for (String m : methods) {
            String s = m.strip().toLowerCase(Locale.ROOT);
            if (s.equals("all")) {
                ms.addAll(List.of(QuantMethod.values()));
                continue;
            }
            try {
                ms.add(QuantMethod.fromCliName(s));
            } catch (IllegalArgumentException e) {
                throw new BadUsageException(names.method() + ": " + e.getMessage().replace("quantization method", "method") + " or all");
            }
        }
        LinkedHashSet<LandmarkSetKind> ks = new LinkedHashSet<>();
        if (sets != null) {
            for (String s : sets) {
                try {
                    ks.add(LandmarkSetKind.fromCliName(s.strip().toLowerCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadUsageException(names.set() + ": " + e.getMessage());
                }
            }
        }
        return expand(ms, ks, bits, names);
    }

    /**
     * As {@link #expand(List, List, List, Names)} for methods and sets already read by name (the command line's
     * converters read them); {@code sets} may be null (the defaults).
     */
    public static List<PtqPlan> expand(Collection<QuantMethod> methods, Collection<LandmarkSetKind> sets, List<Integer> bits, Names names) {
        LinkedHashSet<QuantMethod> ms = new LinkedHashSet<>(methods);
        LinkedHashSet<LandmarkSetKind> ks = sets == null ? new LinkedHashSet<>() : new LinkedHashSet<>(sets);
        for (LandmarkSetKind k : ks) {
            if (ms.stream().noneMatch(k::appliesTo)) {
                throw new BadUsageException(names.set() + " " + k.cliName() + " does not apply to " + names.method() + " "
                        + String.join(",", ms.stream().map(QuantMethod::cliName).toList())
                        + " (sets apply to rounding and stochastic; uniform and iqr also to mid-rise; int-sym and int-asym also to affine)");
            }
        }
        if (bits.isEmpty()) throw new BadUsageException(names.bits() + " needs at least one width");
        for (int b : bits) {
            if (b < 1 || b > 16) throw new BadUsageException(names.bits() + " " + b + " is outside 1..16");
        }
        List<PtqPlan> plans = new ArrayList<>();
        for (QuantMethod m : ms) {
            List<LandmarkSetKind> mine = new ArrayList<>();
            for (LandmarkSetKind k : ks) {
                // mid-rise's own range is its default row (no set); uniform names that range
                LandmarkSetKind own = m == QuantMethod.MID_RISE && k == LandmarkSetKind.UNIFORM ? null : k;
                if (k.appliesTo(m) && !mine.contains(own)) mine.add(own);
            }
            if (mine.isEmpty() && m.usesLandmarkSet()) mine.add(LandmarkSetKind.UNIFORM);
            if (mine.isEmpty() && m == QuantMethod.AFFINE) mine.add(LandmarkSetKind.INT_SYMMETRIC);
            if (mine.isEmpty()) mine.add(null);
            for (LandmarkSetKind k : mine) {
                for (int b : bits) {
                    int min = minBits(m, k);
                    if (b < min) throw new BadUsageException(names.bits() + " " + b + " does not apply to " + names.method() + " " + m.cliName()
                            + (k == null ? "" : " with " + names.set() + " " + k.cliName()) + " (needs " + min + "..16"
                            + (m == QuantMethod.MULTIPOINT ? "; the seed's step divides by 2^(p-1) - 1 = 0 at p = 1" : "") + ")");
                    plans.add(new PtqPlan(m, k, b));
                }
            }
        }
        return plans;
    }

    /** The smallest width {@code m} with set {@code k} quantizes to. */
    public static int minBits(QuantMethod m, LandmarkSetKind k) {
        if (m == QuantMethod.MULTIPOINT || m == QuantMethod.MULTIPOINT_GRID) return 2;
        if (k == LandmarkSetKind.INT_SYMMETRIC) return 2;
        return 1;
    }

    /** The weight quantizer a row's plan asks for. */
    public static WeightQuantizer quantizer(PtqPlan p, Granularity granularity, ObserverKind observerKind, long seed) {
        return switch (p.method()) {
            case MID_RISE -> new MidRiseQuantizer(granularity, p.set() == LandmarkSetKind.IQR ? MidRiseQuantizer.Range.IQR : MidRiseQuantizer.Range.FULL);
            case ROUNDING -> new RoundingQuantizer(p.set(), granularity);
            case STOCHASTIC -> new StochasticRoundingQuantizer(p.set(), granularity, seed);
            case MULTIPOINT -> new MultiPointQuantizer(seed);
            case MULTIPOINT_GRID -> new MultiPointGridQuantizer();
            case AFFINE -> new AffineQuantizer(p.set() != LandmarkSetKind.INT_ASYMMETRIC, granularity, observerKind);
        };
    }
}
