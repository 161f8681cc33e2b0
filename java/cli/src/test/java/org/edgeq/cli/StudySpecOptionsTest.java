package org.edgeq.cli;

import org.edgeq.data.Datasets;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.study.BadUsageException;
import org.edgeq.study.BaseModelSpec;
import org.edgeq.study.PruneSchedule;
import org.edgeq.study.PruneScope;
import org.edgeq.study.PtqPlan;
import org.edgeq.study.PtqPlans;
import org.edgeq.study.StudyKey;
import org.edgeq.study.StudyNames;
import org.edgeq.study.StudySpec;
import org.edgeq.study.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study's flags: what each sweep of flags makes, the defaults, flags beside a study file, and the help text. */
class StudySpecOptionsTest {

    private static final Variant.Training NONE = new Variant.Training(0, null, null);

    static StudySpec spec(String... args) {
        StudySpecOptions o = new StudySpecOptions();
        new CommandLine(o).parseArgs(args);
        return o.spec();
    }

    static List<String> labels(StudySpec s) {
        return s.variants().stream().map(Variant::label).toList();
    }

    private static Variant.Ptq ptq(QuantMethod m, LandmarkSetKind set, int bits) {
        return new Variant.Ptq(new PtqPlan(m, set, bits), null, false, ObserverKind.MIN_MAX, 16);
    }

    private static String usageError(String... args) {
        return assertThrows(BadUsageException.class, () -> spec(args)).getMessage();
    }

    @Test
    void withoutAnyOptionTheDefaultStudyRunsOnSyntheticHard() {
        StudySpec s = spec();
        assertEquals(List.of(new BaseModelSpec("synthetic-hard", "dense-simple", "edgeq", null, null, null, 0, 42)), s.bases());
        assertEquals(List.of("fp32",
                "mid-rise-8bit", "mid-rise-4bit", "mid-rise-2bit", "mid-rise-iqr-8bit", "mid-rise-iqr-4bit", "mid-rise-iqr-2bit",
                "rounding-uniform-8bit", "rounding-uniform-4bit", "rounding-uniform-2bit",
                "rounding-iqr-8bit", "rounding-iqr-4bit", "rounding-iqr-2bit",
                "rounding-histogram-8bit", "rounding-histogram-4bit", "rounding-histogram-2bit",
                "rounding-prior-normal-8bit", "rounding-prior-normal-4bit", "rounding-prior-normal-2bit",
                "affine-int-sym-8bit", "affine-int-sym-4bit", "affine-int-sym-2bit",
                "qat-w8", "qat-w4",
                "prune-oneshot-layer-0.25", "prune-oneshot-layer-0.5", "prune-oneshot-layer-0.75",
                "prune-oneshot-layer-0.25+affine-int-sym-4bit", "prune-oneshot-layer-0.5+affine-int-sym-4bit",
                "prune-oneshot-layer-0.75+affine-int-sym-4bit"), labels(s));
        assertTrue(s.variants().stream().noneMatch(v -> v instanceof Variant.Hwsim), "hwsim is off by default");
    }

    @Test
    void theAcceptanceCommandSweepsTheSeedsTelescopeTablePlusQatAndPruning() {
        List<Integer> bits = List.of(16, 12, 10, 8, 6, 4);
        StudySpec s = spec("--dataset", "telescope", "--methods", "all", "--bits", "16,12,10,8,6,4");
        assertEquals(List.of(new BaseModelSpec("telescope", "dense-simple", "seed", null, null, null, 0, 42)), s.bases(),
                "the seed's model and preset, so the rows compare with the seed's table");
        for (PtqPlan p : PtqPlans.expand(List.of("all"), null, bits)) {
            assertTrue(s.variants().contains(new Variant.Ptq(p, null, false, ObserverKind.MIN_MAX, 16)), "has " + p);
        }
        // the seed's own table: rounding and stochastic over its four sets, mid-rise over its full range and the IQR
        for (int b : bits) {
            for (QuantMethod m : List.of(QuantMethod.ROUNDING, QuantMethod.STOCHASTIC)) {
                for (LandmarkSetKind k : List.of(LandmarkSetKind.UNIFORM, LandmarkSetKind.IQR, LandmarkSetKind.HISTOGRAM, LandmarkSetKind.PRIOR_NORMAL)) {
                    assertTrue(s.variants().contains(ptq(m, k, b)), m + " " + k + " " + b);
                }
            }
            assertTrue(s.variants().contains(ptq(QuantMethod.MID_RISE, null, b)));
            assertTrue(s.variants().contains(ptq(QuantMethod.MID_RISE, LandmarkSetKind.IQR, b)));
        }
        Variant.Training qatTraining = new Variant.Training(3, null, null);
        assertTrue(s.variants().contains(new Variant.Qat(8, null, false, qatTraining)));
        assertTrue(s.variants().contains(new Variant.Qat(4, null, false, qatTraining)));
        for (double r : List.of(0.25, 0.5, 0.75)) {
            assertTrue(s.variants().contains(new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.LAYER, r, false, NONE, List.of())), "prune " + r);
        }
        assertEquals(1 + 13 * 6 + 2 + 3 + 3, s.variants().size(), "fp32, 13 PTQ rows per width, 2 QAT, 3 pruned, 3 pruned then quantized");
    }

    @Test
    void variantsComeBaselineFirstThenPtqQatSeedQatPruningDistillation() {
        StudySpec s = spec("--methods", "rounding", "--sets", "uniform", "--bits", "4", "--qat-bits", "4", "--seed-qat", "rounding",
                "--prune-ratios", "0.5", "--prune-then-quantize", "none", "--distill-students", "dense-simple");
        List<Class<?>> kinds = s.variants().stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(Variant.Baseline.class, Variant.Ptq.class, Variant.Qat.class, Variant.SeedQat.class, Variant.Prune.class,
                Variant.Distill.class), kinds);
    }

    @Test
    void baseModelsAreEveryDatasetTimesModelTimesSeedWithPerDatasetDefaults() {
        StudySpec s = spec("--dataset", "telescope,fashion-mnist", "--methods", "none");
        assertEquals(List.of(new BaseModelSpec("telescope", "dense-simple", "seed", null, null, null, 0, 42),
                new BaseModelSpec("fashion-mnist", "cnn-small", "edgeq", null, null, null, 0, 42)), s.bases());

        s = spec("--dataset", "churn", "--model", "dense-simple,dense-complex", "--seed", "1", "--seed", "2", "--preset", "edgeq",
                "--epochs", "5", "--lr", "0.01", "--batch-size", "32", "--limit", "500");
        assertEquals(List.of(new BaseModelSpec("churn", "dense-simple", "edgeq", 5, 0.01f, 32, 500, 1),
                new BaseModelSpec("churn", "dense-simple", "edgeq", 5, 0.01f, 32, 500, 2),
                new BaseModelSpec("churn", "dense-complex", "edgeq", 5, 0.01f, 32, 500, 1),
                new BaseModelSpec("churn", "dense-complex", "edgeq", 5, 0.01f, 32, 500, 2)), s.bases());
    }

    @Test
    void ptqSweepsMethodSetWidthAndActivationWidthWithNoneAsTheWeightsOnlyRow() {
        StudySpec s = spec("--methods", "rounding,affine", "--sets", "uniform,iqr", "--bits", "8,4", "--act-bits", "none,8",
                "--per-channel", "--qat-bits", "none", "--prune-ratios", "none");
        List<Variant> expected = new ArrayList<>(List.of(new Variant.Baseline()));
        for (LandmarkSetKind k : List.of(LandmarkSetKind.UNIFORM, LandmarkSetKind.IQR)) {
            for (int b : List.of(8, 4)) {
                for (Integer a : Arrays.asList(null, 8)) expected.add(new Variant.Ptq(new PtqPlan(QuantMethod.ROUNDING, k, b), a, true, ObserverKind.MIN_MAX, 16));
            }
        }
        for (int b : List.of(8, 4)) {
            for (Integer a : Arrays.asList(null, 8)) {
                expected.add(new Variant.Ptq(new PtqPlan(QuantMethod.AFFINE, LandmarkSetKind.INT_SYMMETRIC, b), a, true, ObserverKind.MIN_MAX, 16));
            }
        }
        assertEquals(expected, s.variants());
    }

    @Test
    void theDefaultSetsGoOnlyWhereTheyApplyAndOtherMethodsTakeTheirOwn() {
        assertEquals(List.of("fp32", "multipoint-4bit", "affine-int-sym-4bit"),
                labels(spec("--methods", "multipoint,affine", "--bits", "4", "--qat-bits", "none", "--prune-ratios", "none")));
    }

    @Test
    void qatSweepsWidthLsqAndActivationWidthAndTheSeedsQatTrainsAtTheSameWidths() {
        StudySpec s = spec("--methods", "none", "--prune-ratios", "none", "--qat-bits", "4,2", "--qat-lsq", "both", "--qat-act-bits", "8",
                "--qat-epochs", "2", "--seed-qat", "mid-rise,stochastic");
        Variant.Training t = new Variant.Training(2, null, null);
        assertEquals(List.of(new Variant.Baseline(),
                new Variant.Qat(4, 8, false, t), new Variant.Qat(4, 8, true, t), new Variant.Qat(2, 8, false, t), new Variant.Qat(2, 8, true, t),
                new Variant.SeedQat(new PtqPlan(QuantMethod.MID_RISE, null, 4), t), new Variant.SeedQat(new PtqPlan(QuantMethod.MID_RISE, null, 2), t),
                new Variant.SeedQat(new PtqPlan(QuantMethod.STOCHASTIC, LandmarkSetKind.UNIFORM, 4), t),
                new Variant.SeedQat(new PtqPlan(QuantMethod.STOCHASTIC, LandmarkSetKind.UNIFORM, 2), t)), s.variants());
        assertEquals(s, spec("--methods", "none", "--prune-ratios", "none", "--qat-bits", "4,2", "--qat-lsq", "both", "--qat-act-bits", "8",
                "--qat-epochs", "2", "--seed-qat", "mid_rise,stochastic_rounding"), "the seed's names for its methods");
    }

    @Test
    void pruningSweepsScheduleScopeAndRatioThenQuantizesEachPrunedModel() {
        StudySpec s = spec("--methods", "none", "--qat-bits", "none", "--prune-ratios", "0.5,0.9", "--prune-schedules", "oneshot,gradual",
                "--prune-scopes", "global,2:4", "--prune-then-quantize", "8,4", "--prune-quantize-method", "rounding");
        Variant.Training gradual = new Variant.Training(10, null, null);
        List<PtqPlan> then = List.of(new PtqPlan(QuantMethod.ROUNDING, LandmarkSetKind.UNIFORM, 8), new PtqPlan(QuantMethod.ROUNDING, LandmarkSetKind.UNIFORM, 4));
        List<Variant.Prune> plain = List.of(
                new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.GLOBAL, 0.5, false, NONE, List.of()),
                new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.GLOBAL, 0.9, false, NONE, List.of()),
                new Variant.Prune(PruneSchedule.ONESHOT, PruneScope.TWO_FOUR, 0.5, false, NONE, List.of()),
                new Variant.Prune(PruneSchedule.GRADUAL, PruneScope.GLOBAL, 0.5, false, gradual, List.of()),
                new Variant.Prune(PruneSchedule.GRADUAL, PruneScope.GLOBAL, 0.9, false, gradual, List.of()),
                new Variant.Prune(PruneSchedule.GRADUAL, PruneScope.TWO_FOUR, 0.5, false, gradual, List.of()));
        List<Variant> expected = new ArrayList<>(List.of(new Variant.Baseline()));
        expected.addAll(plain);
        for (Variant.Prune p : plain) expected.add(new Variant.Prune(p.schedule(), p.scope(), p.ratio(), false, p.training(), then));
        assertEquals(expected, s.variants(), "2:4 removes exactly half: one row at 0.5 whatever the ratios");
        assertEquals(new Variant.Training(3, null, null),
                ((Variant.Prune) spec("--prune-epochs", "3").variants().stream().filter(v -> v instanceof Variant.Prune).findFirst().orElseThrow()).training());
    }

    @Test
    void distillationSweepsStudentsKeepingDenseWidthsTogetherAndTheirQatWidths() {
        StudySpec s = spec("--methods", "none", "--qat-bits", "none", "--prune-ratios", "none", "--distill-students", "dense:32,16,dense-simple",
                "--distill-qat-bits", "none,8", "--distill-epochs", "2");
        Variant.Training t = new Variant.Training(2, null, null);
        assertEquals(List.of(new Variant.Baseline(),
                new Variant.Distill("dense", List.of(32, 16), 4f, 0.7f, null, t), new Variant.Distill("dense", List.of(32, 16), 4f, 0.7f, 8, t),
                new Variant.Distill("dense-simple", null, 4f, 0.7f, null, t), new Variant.Distill("dense-simple", null, 4f, 0.7f, 8, t)), s.variants());
        assertEquals(s, spec("--methods", "none", "--qat-bits", "none", "--prune-ratios", "none", "--distill-students", "dense:32x16",
                "--distill-students", "dense-simple", "--distill-qat-bits", "none,8", "--distill-epochs", "2"), "repeated flags and 32x16 say the same");
    }

    @Test
    void noneTurnsEachFamilyOffLeavingTheBaseline() {
        assertEquals(List.of("fp32"), labels(spec("--methods", "none", "--qat-bits", "none", "--prune-ratios", "none")));
    }

    @Test
    void aValueGivenTwiceMakesOneCell() {
        assertEquals(labels(spec("--methods", "affine", "--bits", "8")), labels(spec("--methods", "affine,affine", "--bits", "8,8")));
    }

    @Test
    void badFlagsAreRefusedNamingTheFlagAndTheAllowedValues() {
        String m = usageError("--methods", "rounding,magic");
        assertTrue(m.startsWith("--methods: unknown method 'magic'") && m.contains("mid-rise, rounding, stochastic"), m);
        m = usageError("--dataset", "telescop");
        assertTrue(m.startsWith("--dataset: unknown dataset 'telescop'") && m.contains("synthetic-hard") && m.contains("telescope"), m);
        m = usageError("--bits", "17");
        assertEquals("--bits 17 is not allowed (allowed: 1..16)", m);
        m = usageError("--bits", "1");
        assertTrue(m.startsWith("--bits 1 does not apply to --methods affine"), m);
        m = usageError("--dataset", "telescope", "--model", "cnn-small");
        assertTrue(m.contains("cnn-small needs images") && m.contains("dense-simple, dense-complex, dense"), m);
        m = usageError("--qat-lsq", "maybe");
        assertTrue(m.contains("(allowed: no, yes, both)"), m);
        m = usageError("--prune-scopes", "ring");
        assertTrue(m.contains("unknown pruning scope 'ring' (allowed: seed, layer, global, 2:4)"), m);
        m = usageError("--prune-ratios", "1");
        assertTrue(m.contains("(allowed: [0, 1)"), m);
        m = usageError("--seed-qat", "affine");
        assertTrue(m.contains("(allowed: mid-rise, rounding, stochastic, multipoint, multipoint-grid"), m);
        m = usageError("--prune-quantize-method", "magic");
        assertTrue(m.startsWith("--prune-quantize-method: unknown method 'magic' (allowed: mid-rise,"), m);
        m = usageError("--distill-students", "cnn-small");
        assertTrue(m.contains("cnn-small needs images"), m);
        m = usageError("--dataset", "california", "--distill-students", "dense");
        assertTrue(m.contains("regression"), m);
        m = usageError("--sets", "histogram", "--methods", "mid-rise,affine", "--bits", "4");
        assertTrue(m.startsWith("--sets histogram does not apply to --methods mid-rise,affine"), m);
        m = usageError("--sets", "uniform,fancy");
        assertTrue(m.startsWith("--sets: unknown landmark set 'fancy' (allowed: uniform, iqr"), m);
        m = usageError("--qat-epochs", "0");
        assertEquals("--qat-epochs 0 is not allowed (allowed: 1..100000)", m);
        m = usageError("--prune-schedules", "gradual", "--prune-epochs", "0");
        assertTrue(m.contains("gradual"), m);
        m = usageError("--act-bits", "1");
        assertEquals("--act-bits 1 is not allowed (allowed: 2..16)", m);
        m = usageError("--epochs", "ten");
        assertEquals("--epochs: 'ten' is not a whole number (allowed: 1..100000)", m);
    }

    @Test
    void hwsimAddsOneIntegerCellPerPtqWidthOf2To8AfterThePtqCells() {
        StudySpec s = spec("--methods", "rounding", "--sets", "uniform", "--bits", "16,8,4", "--qat-bits", "none", "--prune-ratios", "none", "--hwsim");
        assertEquals(List.of("fp32", "rounding-uniform-16bit", "rounding-uniform-8bit", "rounding-uniform-4bit", "hwsim-w8a8-acc32",
                "hwsim-w4a8-acc32"), labels(s));
        assertEquals(new Variant.Hwsim(4, 8, 32, 16), s.variants().getLast());
        StudySpec wide = spec("--methods", "rounding", "--sets", "uniform", "--bits", "16", "--qat-bits", "none", "--prune-ratios", "none", "--hwsim");
        assertEquals(List.of("fp32", "rounding-uniform-16bit", "hwsim-w8a8-acc32"), labels(wide), "no width in 2..8: W8A8");
        StudySpec none = spec("--methods", "none", "--qat-bits", "none", "--prune-ratios", "none", "--hwsim");
        assertEquals(List.of("fp32", "hwsim-w8a8-acc32", "hwsim-w4a8-acc32", "hwsim-w2a8-acc32"), labels(none), "the default bits 8,4,2");
    }

    @Test
    void flagsOverrideTheStudyFileKeyByKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("s.yaml"), "dataset: telescope\nmethods: [rounding]\nbits: [8]\nqat-bits: none\nprune-ratios: none\n");
        StudySpec s = spec("--study", f.toString(), "--bits", "4");
        assertEquals("telescope", s.bases().getFirst().dataset());
        assertEquals(List.of("fp32", "rounding-uniform-4bit", "rounding-iqr-4bit", "rounding-histogram-4bit", "rounding-prior-normal-4bit"), labels(s));
        assertEquals(spec("--study", f.toString()).bases(), s.bases());

        Path g = Files.writeString(dir.resolve("g.yaml"), "methods: affine\nbits: 8\nper-channel: true\nhwsim: yes\n");
        assertEquals(true, ((Variant.Ptq) spec("--study", g.toString()).variants().get(1)).perChannel());
        StudySpec off = spec("--study", g.toString(), "--per-channel=false", "--hwsim=false");
        assertEquals(false, ((Variant.Ptq) off.variants().get(1)).perChannel(), "a flag turns a file's true off");
        assertTrue(off.variants().stream().noneMatch(v -> v instanceof Variant.Hwsim), "a flag turns a file's hwsim off");
        assertTrue(labels(spec("--study", g.toString())).contains("hwsim-w8a8-acc32"), "the file's hwsim: yes");
    }

    @Test
    void everyStudyKeyIsAFlagAndEveryFlagAKey() {
        Set<String> flags = new CommandLine(new StudySpecOptions()).getCommandSpec().options().stream().map(OptionSpec::longestName)
                .collect(Collectors.toCollection(TreeSet::new));
        flags.remove("--study");
        Set<String> keys = Arrays.stream(StudyKey.values()).map(k -> "--" + k.key()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(keys, flags);
    }

    @Test
    void theStudysDatasetsAreTheTrainCommandsDatasets() {
        assertTrue(StudyNames.DATASETS.containsAll(Datasets.NAMES));
        assertTrue(StudyNames.DATASETS.contains("synthetic-hard"));
    }

    @Command(name = "study", sortOptions = false, mixinStandardHelpOptions = true)
    static final class Holder {
        @Mixin
        StudySpecOptions options;
    }

    @Test
    void helpTeachesEveryFlagWithItsDefault() {
        String help = new CommandLine(new Holder()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (StudyKey k : StudyKey.values()) assertTrue(help.contains("--" + k.key()), "help lists --" + k.key());
        String flat = help.replaceAll("\\s+", ""); // picocli wraps lines anywhere, after commas too
        assertTrue(flat.contains("PTQweightwidths,each1..16(multipointandint-sym:2..16)(default:8,4,2)."), flat);
        assertTrue(flat.contains("(default:synthetic-hard)"), flat);
        assertTrue(flat.contains("(default:mid-rise,rounding,affine)"), flat);
        assertTrue(flat.contains("QATweightwidths,each2..16,ornone(default:8,4)"), flat);
        assertTrue(flat.contains("(default:0.25,0.5,0.75)"), flat);
        String list = help.substring(help.indexOf("--version")); // the option list, after the synopsis
        assertTrue(list.indexOf("--study") < list.indexOf("--dataset") && list.indexOf("--dataset") < list.indexOf("--methods")
                && list.indexOf("--methods") < list.indexOf("--qat-bits") && list.indexOf("--qat-bits") < list.indexOf("--prune-ratios")
                && list.indexOf("--prune-ratios") < list.indexOf("--distill-students"), "grouped by family where the command keeps the order: " + help);
    }
}
