package org.edgeq.study;

import org.edgeq.data.BoundedInput;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a study file: a YAML map whose keys are the study's flag names without their dashes ({@link StudyKey}),
 * each with a list, one value or true/false, into {@link StudySettings} with every value's line. Only the shape is
 * checked here (known keys, lists of plain values); the values are checked by {@link StudySpecBuilder}. Every
 * problem is a {@link BadInputException} reading {@code FILE:LINE: reason}.
 */
public final class StudyFile {

    private StudyFile() {
    }

    /** The settings written in {@code file}. */
    public static StudySettings read(Path file) {
        String text;
        try {
            text = BoundedInput.utf8(BoundedInput.readAllBytes(file, BoundedInput.JSON_CAP, reason -> new BadInputException(file + ": " + reason)));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such study file");
        } catch (BoundedInput.NotUtf8Exception e) {
            throw new BadInputException(file + ":" + e.line() + ": " + e.reason());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the study file (" + e.getMessage() + ")", e);
        }
        return parse(file, text);
    }

    /** The settings written in {@code text}, reported as coming from {@code file}. */
    public static StudySettings parse(Path file, String text) {
        Optional<Node> root;
        try (Reader in = new StringReader(text)) {
            // Compose (nodes with marks), not Load: every value keeps its line, and no YAML type resolution runs.
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeReader(in);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            // the context says where the unfinished construct began, often the line to fix
            String context = e.getProblem() == null || e.getContext() == null ? ""
                    : " (" + e.getContext() + e.getContextMark().map(m -> " from line " + (m.getLine() + 1)).orElse("") + ")";
            throw new BadInputException(file + ":" + line + ": not valid YAML: " + problem.strip() + context, e);
        } catch (YamlEngineException e) {
            throw new BadInputException(file + ":1: not valid YAML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
        if (root.isEmpty()) return StudySettings.none(); // an empty file: the defaults
        if (!(root.get() instanceof MappingNode map)) {
            throw new BadInputException(file + ":" + line(root.get()) + ": a study file is a map of keys to values, got "
                    + kind(root.get()) + " (allowed keys: " + StudyKey.allowed() + ")");
        }
        EnumMap<StudyKey, StudySettings.Setting> settings = new EnumMap<>(StudyKey.class);
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode ks)) {
                throw new BadInputException(file + ":" + line(keyNode) + ": a key must be a plain name, got " + kind(keyNode)
                        + " (allowed: " + StudyKey.allowed() + ")");
            }
            StudyKey key = StudyKey.byKey(ks.getValue());
            if (key == null) {
                throw new BadInputException(file + ":" + line(keyNode) + ": unknown key '" + ks.getValue() + "' (allowed: "
                        + StudyKey.allowed() + ")");
            }
            if (settings.containsKey(key)) {
                throw new BadInputException(file + ":" + line(keyNode) + ": key '" + key + "' given twice (first on line "
                        + settings.get(key).line() + ")");
            }
            settings.put(key, new StudySettings.Setting(key, file, line(keyNode), values(file, key, line(keyNode), t.getValueNode())));
        }
        return new StudySettings(settings);
    }

    /** A key's values: a sequence of plain values, or one plain value; nothing else (refused at the key's line, where the reader looks). */
    private static List<StudySettings.Value> values(Path file, StudyKey key, int keyLine, Node node) {
        List<StudySettings.Value> out = new ArrayList<>();
        if (node instanceof ScalarNode s) {
            if (isNull(s)) {
                throw new BadInputException(file + ":" + keyLine + ": key '" + key + "' has no value ("
                        + expected(key) + (key.shape() == StudyKey.Shape.LIST ? "; [] or none for an empty list" : "") + ")");
            }
            out.add(new StudySettings.Value(s.getValue(), line(s)));
            return out;
        }
        if (node instanceof SequenceNode seq && key.shape() == StudyKey.Shape.LIST) {
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s) || isNull(s)) {
                    throw new BadInputException(file + ":" + line(item) + ": key '" + key + "' takes a list of plain values, "
                            + "but an item is " + (item instanceof ScalarNode ? "empty" : kind(item)) + " (" + expected(key) + ")");
                }
                out.add(new StudySettings.Value(s.getValue(), line(s)));
            }
            return out;
        }
        throw new BadInputException(file + ":" + keyLine + ": key '" + key + "' takes " + expected(key) + ", got " + kind(node));
    }

    private static String expected(StudyKey key) {
        return switch (key.shape()) {
            case LIST -> "a list, one value, or comma-separated values";
            case ONE -> "one value";
            case FLAG -> "true or false";
        };
    }

    private static boolean isNull(ScalarNode s) {
        return Tag.NULL.equals(s.getTag()) && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equalsIgnoreCase("null"));
    }

    private static String kind(Node n) {
        return switch (n) {
            case MappingNode _ -> "a map";
            case SequenceNode _ -> "a list";
            case ScalarNode s -> "the value '" + s.getValue() + "'";
            default -> "a " + n.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    /** The node's first line, 1-based (the parser counts from 0). */
    private static int line(Node n) {
        return n.getStartMark().map(Mark::getLine).orElse(0) + 1;
    }
}
