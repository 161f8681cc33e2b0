package org.edgeq.interop;

import org.edgeq.checkpoint.TensorEntry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds, for every tensor of an EdgeQ architecture, the tensor of a foreign state dict that holds it. With
 * {@code --map} rules, or when the file already uses EdgeQ's names, by name. Otherwise by order and shape, the way
 * PyTorch names modules: the file's tensors are grouped by module ({@code 3.weight} and {@code 3.bias} are module
 * {@code 3}), the modules sorted as PyTorch numbers them ({@code nn.Sequential} counts parameter-less modules too, so
 * indices skip: 0, 3, 6), and the k-th module must hold the tensors, of the same shapes, as EdgeQ's k-th module with
 * state. A prefix common to all names ({@code net.}, {@code model.}) does not matter; named parts such as
 * {@code features.} and {@code classifier.} are tried in every order and the one whose shapes fit is taken.
 * BatchNorm's {@code num_batches_tracked} counters, which EdgeQ does not keep, are ignored.
 */
public final class StateDictMatch {
    /** PyTorch's BatchNorm step counter: no EdgeQ tensor, so never mapped and never required. */
    public static final String BN_COUNTER = "num_batches_tracked";
    /** Named top-level parts are permuted only up to this many (8! orders), beyond that the sorted order alone is tried. */
    private static final int MAX_PERMUTED = 8;

    private StateDictMatch() {
    }

    /**
     * EdgeQ name to file name for every tensor of {@code expected} (EdgeQ's state dict as name to shape, in module
     * order); {@code label} names the architecture in messages. Refuses, in one line naming the tensor and both
     * shapes, a file that does not fit.
     */
    public static Map<String, String> match(Path file, String label, Map<String, Shape> expected, List<TensorEntry> entries,
                                            List<NameRule> rules) throws ImportRefusedException {
        List<TensorEntry> used = entries.stream().filter(e -> !isCounter(e.name())).toList();
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry e : used) byName.put(e.name(), e);
        Map<String, String> result;
        if (!rules.isEmpty() || (byName.keySet().containsAll(expected.keySet()) && byName.size() == expected.size())) {
            result = byName(file, label, expected, byName, rules);
        } else {
            result = byOrder(file, label, expected, used);
        }
        for (String source : result.values()) {
            TensorEntry e = byName.get(source);
            if (e.dtype() != DType.F32) {
                throw new ImportRefusedException(file, "tensor '" + source + "' is " + e.describe() + "; EdgeQ imports F32 tensors "
                        + "(in PyTorch: model.float() before saving)");
            }
        }
        return result;
    }

    private static boolean isCounter(String name) {
        return name.equals(BN_COUNTER) || name.endsWith("." + BN_COUNTER);
    }

    private static Map<String, String> byName(Path file, String label, Map<String, Shape> expected, Map<String, TensorEntry> byName,
                                              List<NameRule> rules) throws ImportRefusedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var t : expected.entrySet()) {
            String name = t.getKey();
            Optional<NameRule> rule = rules.stream().filter(r -> r.fileNameFor(name).isPresent()).findFirst();
            String source = rule.map(r -> r.fileNameFor(name).orElseThrow()).orElse(name);
            TensorEntry e = byName.get(source);
            if (e == null) {
                throw new ImportRefusedException(file, label + " has tensor '" + name + "' (" + DType.F32 + t.getValue() + ") which the file lacks"
                        + (rule.isPresent() ? " (--map " + rule.get() + " reads it from '" + source + "')"
                        : rules.isEmpty() ? "" : " (no --map rule names it)"));
            }
            requireShape(file, label, name, t.getValue(), e);
            out.put(name, source);
        }
        Set<String> taken = new HashSet<>(out.values());
        for (TensorEntry e : byName.values()) {
            if (!taken.contains(e.name())) {
                throw new ImportRefusedException(file, "the file holds tensor '" + e.name() + "' (" + e.describe() + ") which "
                        + (rules.isEmpty() ? "" : "no --map rule places in ") + label + (rules.isEmpty() ? " does not have" : ""));
            }
        }
        return out;
    }

    private static void requireShape(Path file, String label, String name, Shape shape, TensorEntry e) throws ImportRefusedException {
        if (!e.shape().equals(shape)) {
            String where = e.name().equals(name) ? "" : " (its " + name + ")";
            throw new ImportRefusedException(file, "tensor '" + e.name() + "' is " + e.describe() + " but " + label + " expects "
                    + DType.F32 + shape + " there" + where);
        }
    }

    /** One module's tensors by their last name component ({@code weight}, {@code running_mean}), in file or module order. */
    private record Group<T>(String path, List<String> components, Map<String, T> tensors) {
        String describeSuffixes() {
            return String.join(", ", tensors.keySet());
        }
    }

    private static Map<String, String> byOrder(Path file, String label, Map<String, Shape> expected, List<TensorEntry> entries)
            throws ImportRefusedException {
        List<Group<Shape>> want = new ArrayList<>();
        Map<String, Group<Shape>> wantByPath = new LinkedHashMap<>();
        expected.forEach((name, shape) -> {
            int dot = name.lastIndexOf('.');
            String path = dot < 0 ? "" : name.substring(0, dot);
            wantByPath.computeIfAbsent(path, p -> {
                Group<Shape> g = new Group<>(p, List.of(p.split("\\.")), new LinkedHashMap<>());
                want.add(g);
                return g;
            }).tensors().put(name.substring(dot + 1), shape);
        });
        Map<String, Group<TensorEntry>> haveByPath = new LinkedHashMap<>();
        for (TensorEntry e : entries) {
            int dot = e.name().lastIndexOf('.');
            String path = dot < 0 ? "" : e.name().substring(0, dot);
            haveByPath.computeIfAbsent(path, p -> new Group<>(p, List.of(p.split("\\.", -1)), new LinkedHashMap<>()))
                    .tensors().put(e.name().substring(dot + 1), e);
        }
        List<Group<TensorEntry>> have = new ArrayList<>(haveByPath.values());
        have.sort(Comparator.comparing(Group::components, StateDictMatch::natural));

        int common = commonPrefix(have);
        List<String> tops = have.stream().map(g -> top(g, common)).distinct().toList();
        String firstMismatch = null;
        for (List<String> order : orders(tops)) {
            List<Group<TensorEntry>> ordered = new ArrayList<>(have);
            ordered.sort(Comparator.comparingInt((Group<TensorEntry> g) -> order.indexOf(top(g, common))));
            String mismatch = mismatch(label, want, ordered);
            if (mismatch == null) {
                Map<String, String> out = new LinkedHashMap<>();
                for (int k = 0; k < want.size(); k++) {
                    for (String suffix : want.get(k).tensors().keySet()) {
                        out.put(want.get(k).path() + "." + suffix, ordered.get(k).tensors().get(suffix).name());
                    }
                }
                return out;
            }
            if (firstMismatch == null) firstMismatch = mismatch;
        }
        throw new ImportRefusedException(file, firstMismatch);
    }

    /** Why the file's modules, in this order, do not fit EdgeQ's; null when they do. */
    private static String mismatch(String label, List<Group<Shape>> want, List<Group<TensorEntry>> have) {
        for (int k = 0; k < Math.max(want.size(), have.size()); k++) {
            if (k >= have.size()) {
                Group<Shape> w = want.get(k);
                return label + " has " + want.size() + " modules with tensors but the file " + have.size()
                        + " (by PyTorch's order); nothing in the file for " + w.path() + " (" + w.describeSuffixes() + ", "
                        + DType.F32 + w.tensors().values().iterator().next() + " first)";
            }
            Group<TensorEntry> h = have.get(k);
            if (k >= want.size()) {
                TensorEntry first = h.tensors().values().iterator().next();
                return "the file holds tensor '" + first.name() + "' (" + first.describe() + ") beyond the " + want.size()
                        + " modules with tensors of " + label;
            }
            Group<Shape> w = want.get(k);
            if (!w.tensors().keySet().equals(h.tensors().keySet())) {
                // Name the one tensor a reader looks for first: the file's missing one, else its extra one.
                String where = label + "'s module " + (k + 1) + " with tensors (" + w.path() + ") holds " + w.describeSuffixes()
                        + ", the file's module '" + h.path() + "' " + h.describeSuffixes();
                for (String suffix : w.tensors().keySet()) {
                    if (!h.tensors().containsKey(suffix)) return "tensor '" + h.path() + "." + suffix + "' is missing: " + where;
                }
                for (String suffix : h.tensors().keySet()) {
                    if (!w.tensors().containsKey(suffix)) return "tensor '" + h.path() + "." + suffix + "' has no place in " + label + ": " + where;
                }
            }
            for (var t : w.tensors().entrySet()) {
                TensorEntry e = h.tensors().get(t.getKey());
                if (!e.shape().equals(t.getValue())) {
                    return "tensor '" + e.name() + "' is " + e.describe() + " but " + label + " expects " + DType.F32 + t.getValue()
                            + " there (its " + w.path() + "." + t.getKey() + ")";
                }
            }
        }
        return null;
    }

    private static int commonPrefix(List<? extends Group<?>> groups) {
        if (groups.size() < 2) return Math.max(0, groups.isEmpty() ? 0 : groups.get(0).components().size() - 1);
        int n = 0;
        List<String> first = groups.get(0).components();
        while (true) {
            int i = n;
            if (i >= first.size() - 1 || !groups.stream().allMatch(g -> g.components().size() > i + 1 && g.components().get(i).equals(first.get(i)))) {
                return n;
            }
            n++;
        }
    }

    private static String top(Group<?> g, int common) {
        return common < g.components().size() ? g.components().get(common) : "";
    }

    /** The sorted order first, then the others (all of them while there are few named parts to order). */
    private static List<List<String>> orders(List<String> tops) {
        List<List<String>> out = new ArrayList<>();
        out.add(tops);
        boolean named = tops.stream().anyMatch(t -> !isNumber(t));
        if (!named || tops.size() > MAX_PERMUTED) return out;
        permute(new ArrayList<>(tops), 0, out);
        return out.stream().distinct().collect(Collectors.toList());
    }

    private static void permute(List<String> items, int from, List<List<String>> out) {
        if (from == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            java.util.Collections.swap(items, from, i);
            permute(items, from + 1, out);
            java.util.Collections.swap(items, from, i);
        }
    }

    /** PyTorch's module order: numbered components by value (2 before 10), numbers before names, names alphabetically. */
    static int natural(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c;
            if (isNumber(x) && isNumber(y)) c = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
            else if (isNumber(x) != isNumber(y)) c = isNumber(x) ? -1 : 1;
            else c = x.compareTo(y);
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') return false;
        return true;
    }
}
