package org.edgeq.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Study files: a good one says what the same flags say; a bad one is refused at its file and line with the allowed values. */
class StudyFileTest {

    @TempDir
    Path dir;

    private StudySpec fromFile(String yaml) throws Exception {
        return StudySpecBuilder.build(StudyFile.read(Files.writeString(dir.resolve("study.yaml"), yaml)));
    }

    /** The spec of these flags, as the command line would give them (flag name without dashes, then its values). */
    private static StudySpec fromFlags(String... keyThenValue) {
        Map<StudyKey, List<String>> m = new EnumMap<>(StudyKey.class);
        for (int i = 0; i < keyThenValue.length; i += 2) m.put(StudyKey.byKey(keyThenValue[i]), List.of(keyThenValue[i + 1]));
        return StudySpecBuilder.build(StudySettings.ofFlags(m));
    }

    private String badFile(String yaml) {
        return assertThrows(BadInputException.class, () -> fromFile(yaml)).getMessage();
    }

    private String at(int line) {
        return dir.resolve("study.yaml") + ":" + line + ": ";
    }

    @Test
    void aGoodFileSaysWhatTheSameFlagsSay() throws Exception {
        StudySpec file = fromFile("""
                # Telescope as the seed studied it, plus QAT, pruning and a student
                dataset: [telescope, churn]
                seed: 7
                epochs: 5
                methods: all
                bits: [16, 12, 10, 8, 6, 4]
                act-bits: [none, 8]
                per-channel: true
                qat-bits:
                  - 8
                  - 4
                qat-lsq: both
                prune-ratios: 0.5, 0.9
                prune-schedules: [oneshot, gradual]
                prune-then-quantize: [8]
                distill-students: ["dense:32,16", dense-simple]
                distill-epochs: 2
                hwsim: true
                """);
        StudySpec flags = fromFlags("dataset", "telescope,churn", "seed", "7", "epochs", "5", "methods", "all", "bits", "16,12,10,8,6,4",
                "act-bits", "none,8", "per-channel", "true", "qat-bits", "8,4", "qat-lsq", "both", "prune-ratios", "0.5,0.9",
                "prune-schedules", "oneshot,gradual", "prune-then-quantize", "8", "distill-students", "dense:32,16,dense-simple",
                "distill-epochs", "2", "hwsim", "true");
        assertEquals(flags, file);
        assertEquals(2, file.bases().size());
        assertEquals(List.of(new Variant.Hwsim(8, 8, 32, 16), new Variant.Hwsim(6, 8, 32, 16), new Variant.Hwsim(4, 8, 32, 16)),
                file.variants().stream().filter(v -> v instanceof Variant.Hwsim).toList(), "hwsim at the widths of bits in 2..8");
    }

    @Test
    void anEmptyFileIsTheDefaultStudy() throws Exception {
        assertEquals(StudySpecBuilder.build(StudySettings.none()), fromFile("# nothing yet\n"));
    }

    @Test
    void emptyListsTurnFamiliesOff() throws Exception {
        assertEquals(List.of(new Variant.Baseline()), fromFile("methods: []\nqat-bits: none\nprune-ratios: []\n").variants());
    }

    @Test
    void theExampleFilesInDocsAreGoodStudies() {
        Path examples = Path.of("..", "docs", "examples");
        if (!Files.isDirectory(examples)) examples = Path.of("docs", "examples");
        StudySpec telescope = StudySpecBuilder.build(StudyFile.read(examples.resolve("telescope-study.yaml")));
        assertEquals("telescope", telescope.bases().getFirst().dataset());
        List<Variant> acceptance = fromFlags("dataset", "telescope", "methods", "all", "bits", "16,12,10,8,6,4").variants().stream()
                .filter(v -> !(v instanceof Variant.Prune p && !p.thenQuantize().isEmpty())).toList();
        assertTrue(telescope.variants().containsAll(acceptance), "the example holds the acceptance command's study (its own prune-then-quantize widths aside)");
        assertEquals(StudySpecBuilder.build(StudySettings.none()), StudySpecBuilder.build(StudyFile.read(examples.resolve("default-study.yaml"))),
                "default-study.yaml spells out the default study");
    }

    @Test
    void anUnknownKeyIsRefusedAtItsLineListingTheKeys() {
        String m = badFile("dataset: telescope\nmethod: rounding\n");
        assertTrue(m.startsWith(at(2) + "unknown key 'method' (allowed: dataset, model, preset,"), m);
        assertTrue(m.contains("methods") && m.contains("prune-then-quantize") && m.contains("hwsim)"), m);
    }

    @Test
    void anUnknownMethodIsRefusedAtItsItemsLineListingTheMethods() {
        String m = badFile("dataset: telescope\nmethods:\n  - rounding\n  - magic\n");
        assertTrue(m.startsWith(at(4) + "methods: unknown method 'magic' (allowed: mid-rise, rounding, stochastic, multipoint, multipoint-grid, affine"), m);
    }

    @Test
    void anUnknownDatasetIsRefusedListingTheDatasets() {
        String m = badFile("dataset: [telescope, imagenet]\n");
        assertTrue(m.startsWith(at(1) + "dataset: unknown dataset 'imagenet' (allowed: synthetic-blobs,"), m);
        assertTrue(m.contains("synthetic-hard") && m.contains("fashion-mnist"), m);
    }

    @Test
    void badWidthsAreRefusedAtTheirLineWithTheAllowedRange() {
        assertEquals(at(3) + "bits 17 is not allowed (allowed: 1..16)", badFile("methods: rounding\nbits:\n  - 17\n"));
        assertEquals(at(1) + "bits: 'eight' is not a whole number (allowed: 1..16)", badFile("bits: [8, eight]\n"));
        assertEquals(at(1) + "qat-bits 1 is not allowed (allowed: 2..16)", badFile("qat-bits: 1\n"));
        String m = badFile("methods: [multipoint]\n\nbits: [4, 1]\n");
        assertTrue(m.startsWith(at(3) + "bits 1 does not apply to methods multipoint (needs 2..16"), m);
    }

    @Test
    void otherBadValuesNameTheAllowedOnes() {
        assertEquals(at(2) + "qat-lsq: 'sometimes' is not allowed (allowed: no, yes, both)", badFile("qat-bits: 4\nqat-lsq: sometimes\n"));
        assertTrue(badFile("model: [lenet]\n").startsWith(at(1) + "model: unknown model 'lenet' (allowed: dense-simple, dense-complex, dense, cnn-seed, cnn-small, resnet9)"));
        assertTrue(badFile("sets: [uniform, fancy]\n").startsWith(at(1) + "sets: unknown landmark set 'fancy' (allowed: uniform, iqr,"));
        assertEquals(at(1) + "prune-schedules: unknown pruning schedule 'sudden' (allowed: oneshot, gradual)", badFile("prune-schedules: sudden\n"));
        assertEquals(at(1) + "per-channel: 'maybe' is not allowed (allowed: true, false)", badFile("per-channel: maybe\n"));
        assertTrue(badFile("dataset: telescope\nmodel: cnn-small\n").startsWith(at(2) + "model cnn-small needs images, and dataset telescope is tabular"));
    }

    @Test
    void aYamlSyntaxErrorIsRefusedAtTheParsersLine() {
        String m = badFile("dataset: telescope\nbits: [8, 4\nmethods: all\n");
        assertTrue(m.matches("\\Q" + dir.resolve("study.yaml") + "\\E:[34]: not valid YAML: .*"), m);
        m = badFile("dataset: telescope\n  bits: 4\n");
        assertTrue(m.startsWith(at(2) + "not valid YAML: "), m);
    }

    @Test
    void wrongShapesAreRefusedAtTheirLine() {
        assertEquals(at(2) + "key 'bits' takes a list, one value, or comma-separated values, got a map", badFile("dataset: telescope\nbits:\n  weights: 8\n"));
        assertEquals(at(1) + "key 'qat-epochs' takes one value, got a list", badFile("qat-epochs: [3, 4]\n"));
        assertEquals(at(2) + "key 'methods' takes a list of plain values, but an item is a list (a list, one value, or comma-separated values)",
                badFile("methods:\n  - [rounding]\n"));
        assertTrue(badFile("bits:\n").startsWith(at(1) + "key 'bits' has no value"));
        assertTrue(badFile("- telescope\n").startsWith(at(1) + "a study file is a map of keys to values, got a list (allowed keys: dataset,"));
        assertEquals(at(2) + "key 'bits' given twice (first on line 1)", badFile("bits: 8\nbits: 4\n"));
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        String m = assertThrows(BadInputException.class, () -> StudyFile.read(dir.resolve("nope.yaml"))).getMessage();
        assertEquals(dir.resolve("nope.yaml") + ": no such study file", m);
    }
}
