package org.edgeq.interop;

import org.edgeq.checkpoint.TensorEntry;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a foreign state dict's names are matched to EdgeQ's: by name, by --map rules, or by PyTorch's module order and shapes. */
class StateDictMatchTest {
    private static final Path FILE = Path.of("m.safetensors");
    /** dense-simple on 4 features and 3 classes: net.0 Linear [10, 4], net.2 Linear [3, 10]. */
    private static final Map<String, Shape> DENSE = ModelFactory.stateShapes(ModelPresets.denseSimple(4, 3));

    private static List<TensorEntry> entries(Object... nameShape) {
        List<TensorEntry> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < nameShape.length; i += 2) {
            Shape s = (Shape) nameShape[i + 1];
            DType t = ((String) nameShape[i]).endsWith("num_batches_tracked") ? DType.I64 : DType.F32;
            long bytes = s.numel() * t.byteSize();
            out.add(new TensorEntry((String) nameShape[i], t, s, offset, offset + bytes));
            offset += bytes;
        }
        return out;
    }

    private static Map<String, String> match(List<TensorEntry> entries, NameRule... rules) throws ImportRefusedException {
        return StateDictMatch.match(FILE, "dense-simple", DENSE, entries, List.of(rules));
    }

    @Test
    void sequentialIndicesThatSkipParameterLessModulesMapInOrder() throws Exception {
        // nn.Sequential(Linear, ReLU, Dropout, Linear): 0 and 3; the header lists 3 after 0 only numerically.
        Map<String, String> m = match(entries("3.bias", Shape.of(3), "3.weight", Shape.of(3, 10), "0.weight", Shape.of(10, 4), "0.bias", Shape.of(10)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("net.0.weight", "0.weight");
        expected.put("net.0.bias", "0.bias");
        expected.put("net.2.weight", "3.weight");
        expected.put("net.2.bias", "3.bias");
        assertEquals(expected, m);
    }

    @Test
    void indexTenSortsAfterIndexTwoAndACommonPrefixDoesNotMatter() throws Exception {
        Map<String, String> m = match(entries("model.10.weight", Shape.of(3, 10), "model.10.bias", Shape.of(3),
                "model.2.weight", Shape.of(10, 4), "model.2.bias", Shape.of(10)));
        assertEquals("model.2.weight", m.get("net.0.weight"));
        assertEquals("model.10.bias", m.get("net.2.bias"));
    }

    @Test
    void namedPartsAreTriedInTheOrderTheirShapesFit() throws Exception {
        // features before classifier, although the names sort the other way.
        Map<String, String> m = match(entries("classifier.0.weight", Shape.of(3, 10), "classifier.0.bias", Shape.of(3),
                "features.0.weight", Shape.of(10, 4), "features.0.bias", Shape.of(10)));
        assertEquals("features.0.weight", m.get("net.0.weight"));
        assertEquals("classifier.0.weight", m.get("net.2.weight"));
    }

    @Test
    void batchNormCountersAreIgnored() throws Exception {
        Map<String, Shape> withNorm = ModelFactory.stateShapes(new org.edgeq.nn.ModelConfig("dense", new int[] {4}, 3, List.of(10), 0f, true));
        Map<String, String> m = StateDictMatch.match(FILE, "dense", withNorm, entries("0.weight", Shape.of(10, 4), "0.bias", Shape.of(10),
                "1.weight", Shape.of(10), "1.bias", Shape.of(10), "1.running_mean", Shape.of(10), "1.running_var", Shape.of(10),
                "1.num_batches_tracked", Shape.of(), "3.weight", Shape.of(3, 10), "3.bias", Shape.of(3)), List.of());
        assertEquals("1.running_var", m.get("net.1.running_var"));
        assertEquals(8, m.size());
    }

    @Test
    void edgeqNamesMatchByName() throws Exception {
        Map<String, String> m = match(entries("net.0.weight", Shape.of(10, 4), "net.0.bias", Shape.of(10), "net.2.weight", Shape.of(3, 10), "net.2.bias", Shape.of(3)));
        m.forEach((k, v) -> assertEquals(k, v));
    }

    @Test
    void mapRulesNameTensorsWithPlaceholders() throws Exception {
        Map<String, String> m = match(entries("fc1.w", Shape.of(10, 4), "fc1.b", Shape.of(10), "fc2.w", Shape.of(3, 10), "fc2.b", Shape.of(3)),
                NameRule.parse("net.0.weight=fc1.w"), NameRule.parse("net.0.bias=fc1.b"), NameRule.parse("net.2.weight=fc2.w"),
                NameRule.parse("net.2.bias=fc2.b"));
        assertEquals("fc1.w", m.get("net.0.weight"));
        assertEquals("fc2.b", m.get("net.2.bias"));
        Map<String, String> byPlaceholder = match(entries("layers.0.weight", Shape.of(10, 4), "layers.0.bias", Shape.of(10),
                "layers.2.weight", Shape.of(3, 10), "layers.2.bias", Shape.of(3)), NameRule.parse("net.{i}.{p}=layers.{i}.{p}"));
        assertEquals("layers.2.weight", byPlaceholder.get("net.2.weight"));
    }

    @Test
    void aMisshapedTensorIsNamedWithBothShapes() {
        ImportRefusedException e = assertThrows(ImportRefusedException.class,
                () -> match(entries("0.weight", Shape.of(10, 5), "0.bias", Shape.of(10), "2.weight", Shape.of(3, 10), "2.bias", Shape.of(3))));
        assertEquals("m.safetensors: tensor '0.weight' is F32[10, 5] but dense-simple expects F32[10, 4] there (its net.0.weight)", e.getMessage());
    }

    @Test
    void aMissingModuleIsNamed() {
        ImportRefusedException e = assertThrows(ImportRefusedException.class,
                () -> match(entries("0.weight", Shape.of(10, 4), "0.bias", Shape.of(10))));
        assertTrue(e.getMessage().contains("nothing in the file for net.2 (weight, bias, F32[3, 10] first)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMissingBiasIsNamed() {
        ImportRefusedException e = assertThrows(ImportRefusedException.class,
                () -> match(entries("0.weight", Shape.of(10, 4), "0.bias", Shape.of(10), "2.weight", Shape.of(3, 10))));
        assertTrue(e.getMessage().contains("tensor '2.bias' is missing: dense-simple's module 2 with tensors (net.2) holds weight, bias, the file's module '2' weight"),
                e.getMessage());
    }

    @Test
    void aTensorTheArchitectureDoesNotHaveIsNamed() {
        ImportRefusedException e = assertThrows(ImportRefusedException.class,
                () -> match(entries("0.weight", Shape.of(10, 4), "0.bias", Shape.of(10), "0.scale", Shape.of(10),
                        "2.weight", Shape.of(3, 10), "2.bias", Shape.of(3))));
        assertTrue(e.getMessage().contains("tensor '0.scale' has no place in dense-simple: "), e.getMessage());
    }

    @Test
    void withRulesAnUnusedOrAbsentTensorIsNamed() {
        ImportRefusedException absent = assertThrows(ImportRefusedException.class,
                () -> match(entries("fc1.w", Shape.of(10, 4)), NameRule.parse("net.0.weight=fc1.w")));
        assertTrue(absent.getMessage().contains("dense-simple has tensor 'net.0.bias' (F32[10]) which the file lacks"), absent.getMessage());
        ImportRefusedException unused = assertThrows(ImportRefusedException.class,
                () -> match(entries("fc1.w", Shape.of(10, 4), "net.0.bias", Shape.of(10), "net.2.weight", Shape.of(3, 10), "net.2.bias", Shape.of(3),
                        "extra", Shape.of(1)), NameRule.parse("net.0.weight=fc1.w")));
        assertTrue(unused.getMessage().contains("the file holds tensor 'extra' (F32[1]) which no --map rule places in dense-simple"), unused.getMessage());
    }

    @Test
    void aRuleNeedsTheSamePlaceholdersOnBothSides() {
        assertThrows(IllegalArgumentException.class, () -> NameRule.parse("net.{i}.weight=fc.w"));
        assertThrows(IllegalArgumentException.class, () -> NameRule.parse("net.0.weight"));
        assertEquals("layers.7.w", NameRule.parse("net.{i}.weight=layers.{i}.w").fileNameFor("net.7.weight").orElseThrow());
        assertTrue(NameRule.parse("net.{i}.weight=layers.{i}.w").fileNameFor("net.7.bias").isEmpty());
    }
}
