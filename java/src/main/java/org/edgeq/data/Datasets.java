package org.edgeq.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves the dataset names and paths the CLI accepts into a loaded {@link Dataset} and its default
 * {@link SplitPlan}.
 *
 * <p>Names: {@code synthetic-blobs}, {@code synthetic-hard}, {@code synthetic-regression} and {@code synthetic-images}
 * (generated, no files), and {@code churn},
 * {@code telescope}, {@code california}, {@code mv}, {@code fashion-mnist}, looked up in the data directory given
 * ({@code --data-dir}) or else in the first of {@code $EDGEQ_DATA}, {@code ./data}, {@code /usr/share/datasets}
 * (where Debian's {@code dataset-fashion-mnist} package puts {@code fashion-mnist/}), {@code ../shared/data} that
 * holds the dataset's file. Paths are loaded by their
 * form: {@code .csv} (generic, needs a target column), {@code .dat} (KEEL when it starts with an {@code @} header,
 * else the telescope format), an IDX image file ({@code *-images-idx3-ubyte[.gz]}, labels found beside it), a
 * directory of IDX train/t10k files, or a CIFAR directory or {@code .bin} batch.
 */
public final class Datasets {
    public static final String SYNTHETIC_BLOBS = "synthetic-blobs";
    public static final String SYNTHETIC_REGRESSION = "synthetic-regression";
    public static final String SYNTHETIC_IMAGES = "synthetic-images";
    public static final String SYNTHETIC_HARD = "synthetic-hard";

    /** Every built-in name, for help texts; the first is the default dataset. */
    public static final List<String> NAMES = List.of(SYNTHETIC_BLOBS, SYNTHETIC_HARD, SYNTHETIC_REGRESSION, SYNTHETIC_IMAGES, "churn", "telescope",
            "california", "mv", "fashion-mnist");

    /** Fashion-MNIST's validation share of its 60,000 training images (6,000 validation, 54,000 training). */
    public static final double IMAGE_VALIDATION_FRACTION = 0.1;

    /** A loaded dataset with the split it is normally used with and where it came from. */
    public record Resolved(Dataset dataset, SplitPlan splitPlan, String source) {
    }

    /** Debian's dataset packages (e.g. dataset-fashion-mnist) install under this directory. */
    static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    private final List<Path> dataDirs;

    /** @param dataDir where named datasets live, or null when there is none (only synthetic names and paths work) */
    public Datasets(Path dataDir) {
        this.dataDirs = dataDir == null ? List.of() : List.of(dataDir);
    }

    private Datasets(List<Path> dataDirs) {
        this.dataDirs = List.copyOf(dataDirs);
    }

    /** A registry that finds each named dataset in the first of {@code dataDirs} that holds it. */
    static Datasets searching(List<Path> dataDirs) {
        return new Datasets(dataDirs);
    }

    /** A registry that finds each named dataset in the first default directory holding it (see the class comment). */
    public static Datasets withDefaultDataDir() {
        return searching(candidateDataDirs());
    }

    /** The first existing directory of $EDGEQ_DATA, ./data, /usr/share/datasets, ../shared/data; null if none exists. */
    public static Path defaultDataDir() {
        for (Path p : candidateDataDirs()) {
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    static List<Path> candidateDataDirs() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv("EDGEQ_DATA");
        if (env != null && !env.isBlank()) out.add(Path.of(env));
        out.add(Path.of("data"));
        out.add(DEBIAN_DATASETS);
        out.add(Path.of("..", "shared", "data"));
        return out;
    }

    /** The data directory: the one given, or the first default one that exists; null if none. */
    public Path dataDir() {
        for (Path p : dataDirs) if (Files.isDirectory(p)) return p;
        return null;
    }

    /**
     * Loads a dataset by built-in name or path.
     *
     * @param targetColumn the target column of a generic CSV file; ignored for everything else (may be null)
     * @throws IllegalArgumentException for an unknown name or a CSV path without a target column
     * @throws NoSuchFileException      when a named dataset's file is not in the data directory
     */
    public Resolved resolve(String nameOrPath, String targetColumn) throws IOException, DataFormatException {
        switch (nameOrPath) {
            case SYNTHETIC_BLOBS:
                return new Resolved(SyntheticDatasets.blobs(), SplitPlan.Fractions.SEED, "generated (seed " + SyntheticDatasets.GENERATOR_SEED + ")");
            case SYNTHETIC_REGRESSION:
                return new Resolved(SyntheticDatasets.regression(), SplitPlan.Fractions.SEED, "generated (seed " + SyntheticDatasets.GENERATOR_SEED + ")");
            case SYNTHETIC_HARD:
                return new Resolved(SyntheticDatasets.hard(), SplitPlan.Fractions.SEED, "generated (seed " + SyntheticDatasets.GENERATOR_SEED + ")");
            case SYNTHETIC_IMAGES:
                return new Resolved(SyntheticDatasets.images(), SplitPlan.Fractions.SEED, "generated (seed " + SyntheticDatasets.GENERATOR_SEED + ")");
            case "churn":
                return fractions(new ChurnCsvLoader().load(named("churn", "churn.csv")), named("churn", "churn.csv"));
            case "telescope":
                return fractions(new TelescopeLoader().load(named("telescope", "telescope.dat")), named("telescope", "telescope.dat"));
            case "california":
                return fractions(rename(new KeelLoader().load(named("california", "california.dat")), "california"), named("california", "california.dat"));
            case "mv":
                return fractions(rename(new KeelLoader().load(named("mv", "mv.dat")), "mv"), named("mv", "mv.dat"));
            case "fashion-mnist": {
                Path dir = named("fashion-mnist", "fashion-mnist");
                return idxDirectory("fashion-mnist", dir, IdxLoader.FASHION_MNIST_CLASSES, 6000);
            }
            default:
                break;
        }
        Path path = Path.of(nameOrPath);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("unknown dataset " + Quote.of(nameOrPath) + ": not a file, and not one of " + String.join(", ", NAMES)
                    + NearestName.hint(nameOrPath, NAMES));
        }
        return fromPath(path, targetColumn);
    }

    private Resolved fromPath(Path path, String targetColumn) throws IOException, DataFormatException {
        String file = path.getFileName().toString();
        if (Files.isDirectory(path)) {
            if (findEither(path, "train-images-idx3-ubyte") != null) return idxDirectory(file, path, null, Integer.MAX_VALUE);
            if (Files.exists(path.resolve("data_batch_1.bin"))) return cifar10Directory(file, path);
            if (Files.exists(path.resolve("train.bin")) && Files.exists(path.resolve("test.bin"))) return cifar100Directory(file, path);
            throw new IllegalArgumentException(path + ": directory holds neither IDX train/t10k files nor CIFAR batches");
        }
        if (file.endsWith(".csv")) {
            if (targetColumn == null || targetColumn.isBlank()) {
                throw new IllegalArgumentException(path + ": a CSV file needs a target column (--target NAME)");
            }
            return fractions(new CsvLoader(targetColumn, null).load(path), path);
        }
        if (file.endsWith(".dat")) {
            Dataset d = startsWithAt(path) ? new KeelLoader().load(path) : new TelescopeLoader().load(path);
            return fractions(d, path);
        }
        if (file.contains("images-idx3-ubyte")) {
            Path labels = path.resolveSibling(file.replace("images-idx3-ubyte", "labels-idx1-ubyte"));
            if (!Files.exists(labels)) {
                Path alt = path.resolveSibling(labels.getFileName().toString().endsWith(".gz")
                        ? labels.getFileName().toString().replaceFirst("\\.gz$", "") : labels.getFileName() + ".gz");
                if (!Files.exists(alt)) throw new NoSuchFileException(labels.toString(), null, "label file for " + path + " not found");
                labels = alt;
            }
            return fractions(new IdxLoader().load(CsvLoader.datasetName(path), path, labels, null), path);
        }
        if (file.endsWith(".bin")) {
            return fractions(new CifarLoader(CifarLoader.Variant.CIFAR10).load(CsvLoader.datasetName(path), List.of(path)), path);
        }
        throw new IllegalArgumentException(path + ": unknown data format (expected .csv, .dat, an IDX images file, a CIFAR .bin or a directory)");
    }

    private Path named(String name, String relative) throws NoSuchFileException {
        if (dataDirs.isEmpty()) {
            throw new NoSuchFileException(relative, null, "dataset '" + name + "' needs a data directory: give --data-dir, set EDGEQ_DATA or create ./data (looked in "
                    + candidateDataDirs() + ")");
        }
        for (Path dir : dataDirs) {
            Path p = dir.resolve(relative);
            if (Files.exists(p)) return p;
        }
        String hint = name.equals("fashion-mnist") ? "; Debian's dataset-fashion-mnist package installs it under " + DEBIAN_DATASETS : "";
        if (dataDirs.size() == 1) {
            throw new NoSuchFileException(dataDirs.get(0).resolve(relative).toString(), null, "dataset '" + name + "' not found in " + dataDirs.get(0) + hint);
        }
        throw new NoSuchFileException(relative, null, "dataset '" + name + "' not found in any of " + dataDirs + hint);
    }

    /** Train and t10k IDX files loaded as one set (training file first) with the per-class quota split. */
    private static Resolved idxDirectory(String name, Path dir, List<String> classNames, int perClass) throws IOException, DataFormatException {
        IdxLoader.Loaded all = new IdxLoader().loadAll(name,
                List.of(requireEither(dir, "train-images-idx3-ubyte"), requireEither(dir, "t10k-images-idx3-ubyte")),
                List.of(requireEither(dir, "train-labels-idx1-ubyte"), requireEither(dir, "t10k-labels-idx1-ubyte")), classNames);
        int trainSize = all.rowsPerFile().get(0);
        return new Resolved(all.dataset(), new SplitPlan.PerClassQuota(trainSize, perClass, IMAGE_VALIDATION_FRACTION), dir.toString());
    }

    private static Resolved cifar10Directory(String name, Path dir) throws IOException, DataFormatException {
        List<Path> train = new ArrayList<>();
        for (int i = 1; Files.exists(dir.resolve("data_batch_" + i + ".bin")); i++) train.add(dir.resolve("data_batch_" + i + ".bin"));
        CifarLoader loader = new CifarLoader(CifarLoader.Variant.CIFAR10);
        Dataset tr = loader.load(name, train);
        Path testFile = dir.resolve("test_batch.bin");
        if (!Files.exists(testFile)) return fractions(tr, dir);
        Dataset all = concat(name, tr, loader.load(name, List.of(testFile)), dir);
        return new Resolved(all, new SplitPlan.PerClassQuota(tr.size(), Integer.MAX_VALUE, IMAGE_VALIDATION_FRACTION), dir.toString());
    }

    private static Resolved cifar100Directory(String name, Path dir) throws IOException, DataFormatException {
        CifarLoader loader = new CifarLoader(CifarLoader.Variant.CIFAR100_FINE);
        Dataset tr = loader.load(name, List.of(dir.resolve("train.bin")));
        Dataset all = concat(name, tr, loader.load(name, List.of(dir.resolve("test.bin"))), dir);
        return new Resolved(all, new SplitPlan.PerClassQuota(tr.size(), Integer.MAX_VALUE, IMAGE_VALIDATION_FRACTION), dir.toString());
    }

    /** Rows of {@code a} then rows of {@code b}; both must share feature shape and classes. */
    static Dataset concat(String name, Dataset a, Dataset b, Path source) throws DataFormatException {
        if (!Arrays.equals(a.featureShape(), b.featureShape())) {
            throw DataFormatException.inFile(source, "training images are " + Arrays.toString(a.featureShape()) + " but test images "
                    + Arrays.toString(b.featureShape()));
        }
        List<String> classes = a.classNames().size() >= b.classNames().size() ? a.classNames() : b.classNames();
        float[] x = new float[Math.addExact(a.features().length, b.features().length)];
        System.arraycopy(a.features(), 0, x, 0, a.features().length);
        System.arraycopy(b.features(), 0, x, a.features().length, b.features().length);
        int[] y = new int[a.size() + b.size()];
        System.arraycopy(a.labels(), 0, y, 0, a.size());
        System.arraycopy(b.labels(), 0, y, a.size(), b.size());
        return new Dataset(name, Task.CLASSIFICATION, y.length, a.featureShape(), x, y, null, classes.size(), a.featureNames(), classes);
    }

    private static Resolved fractions(Dataset d, Path source) {
        return new Resolved(d, SplitPlan.Fractions.SEED, source.toString());
    }

    private static Dataset rename(Dataset d, String name) {
        return new Dataset(name, d.task(), d.size(), d.featureShape(), d.features(), d.labels(), d.targets(), d.numClasses(),
                d.featureNames(), d.classNames());
    }

    private static Path findEither(Path dir, String base) {
        if (Files.exists(dir.resolve(base))) return dir.resolve(base);
        if (Files.exists(dir.resolve(base + ".gz"))) return dir.resolve(base + ".gz");
        return null;
    }

    private static Path requireEither(Path dir, String base) throws NoSuchFileException {
        Path p = findEither(dir, base);
        if (p == null) throw new NoSuchFileException(dir.resolve(base).toString(), null, "missing (also looked for " + base + ".gz)");
        return p;
    }

    private static boolean startsWithAt(Path path) throws IOException, DataFormatException {
        try (BufferedReader in = new BufferedReader(BoundedInput.utf8Reader(path, BoundedInput.TEXT_DATA_CAP))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) return line.strip().startsWith("@");
            }
        } catch (BoundedInput.NotUtf8Exception e) {
            throw DataFormatException.atLine(path, e.line(), e.reason());
        }
        return false;
    }
}
