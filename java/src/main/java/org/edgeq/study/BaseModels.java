package org.edgeq.study;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.StagedDirectory;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.edgeq.train.LearningRateSchedule;
import org.edgeq.train.OptimizerSpec;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The study's trained base models, cached in DIR/models/&lt;key&gt;/ (key: {@link BaseModelKey#of}) as edgeq train
 * --out writes a model, so that every cell of a base model, in this process or in another one (run-cell), uses the
 * same weights and the model is trained once. A file lock (DIR/models/&lt;key&gt;.lock) lets one trainer work while
 * the others wait; the model is built as a {@link StagedDirectory} (a temporary folder beside it, renamed into place),
 * so a folder under its key is always a finished model and a kill leaves at most a temporary folder, removed by the
 * next trainer.
 */
public final class BaseModels {
    private final Path root;
    private final Path dataDir;
    private final Architectures architectures;
    /** FileChannel.lock guards other processes only; threads of this one wait on the key's monitor first. */
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    /** Why a base model failed to train in this process: its other cells fail at once instead of training it again. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    /**
     * @param root          the cache folder, DIR/models
     * @param dataDir       where named datasets live (null: the default data directory)
     * @param architectures how model and preset names become configurations and defaults
     */
    public BaseModels(Path root, Path dataDir, Architectures architectures) {
        this.root = root;
        this.dataDir = dataDir;
        this.architectures = architectures;
    }

    /** Where {@code base}'s trained model is (or will be) kept. */
    public Path dir(BaseModelSpec base) {
        return root.resolve(BaseModelKey.of(base));
    }

    /** Whether an earlier run (or another process) has finished {@code base}'s model. */
    public boolean isTrained(BaseModelSpec base) {
        return Files.isRegularFile(dir(base).resolve(Checkpoint.WEIGHTS));
    }

    /**
     * {@code base}'s trained model folder, training it on {@code backend} first when no one has; epoch lines go to
     * {@code err}. Concurrent callers for the same base model (threads or processes) wait for the one that trains.
     */
    public Path ensure(BaseModelSpec base, Backend backend, PrintWriter err) throws IOException {
        Path done = dir(base);
        if (isTrained(base)) return done;
        String key = BaseModelKey.of(base);
        synchronized (monitors.computeIfAbsent(key, k -> new Object())) {
            String failed = failures.get(key);
            if (failed != null) throw new IllegalStateException("its base model " + base.dataset() + "/" + base.model() + " failed to train: " + failed);
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (isTrained(base)) return done;
                removeLeftovers(key);
                // As train --out: built beside its folder under a temporary name, renamed into place when complete.
                try (StagedDirectory staged = StagedDirectory.begin(done, Set.of(Checkpoint.WEIGHTS, Checkpoint.DESCRIPTION, Checkpoint.SPLIT))) {
                    train(base, staged.path(), backend, err);
                    staged.publish();
                } catch (IOException | RuntimeException e) {
                    failures.put(key, e.getMessage() == null ? e.toString() : e.getMessage());
                    throw e;
                }
            }
        }
        return done;
    }

    /**
     * Checks, before any work, that {@code base} can be trained here: its dataset loads (named datasets found, files
     * well formed) and its architecture fits the data; throws BadUsageException or BadInputException otherwise.
     * A base model trained already is not checked again.
     */
    public void check(BaseModelSpec base) throws IOException {
        if (isTrained(base)) return;
        TrainingData data = TrainingData.prepare(DataLoading.registry(dataDir), base.dataset(), null, "seed".equals(base.preset()),
                base.seed(), base.limit());
        architectures.config(base.model(), base.preset(), data.all().featureShape(), data.outputs(), data.all().task());
    }

    /** Trains {@code base} as edgeq train would (constant rate, Adam) and writes it into {@code out} like train --out. */
    private void train(BaseModelSpec base, Path out, Backend backend, PrintWriter err) throws IOException {
        TrainingData data = TrainingData.prepare(DataLoading.registry(dataDir), base.dataset(), null, "seed".equals(base.preset()),
                base.seed(), base.limit());
        var task = data.all().task();
        ModelConfig config = architectures.config(base.model(), base.preset(), data.all().featureShape(), data.outputs(), task);
        int batch = base.batchSize() != null ? base.batchSize() : architectures.defaultBatchSize(base.model());
        int epochs = base.epochs() != null ? base.epochs() : architectures.defaultEpochs(base.preset(), task);
        float lr = base.lr() != null ? base.lr() : 1e-3f;
        TrainingConfig tc = new TrainingConfig(epochs, batch, lr, new LearningRateSchedule.Constant(), OptimizerSpec.Adam.defaults(),
                0f, base.seed(), 0);
        TrainingMetadata meta = data.metadata(base.dataset(), base.seed(), settings(base, epochs, batch, lr));
        try (Model net = ModelFactory.create(config, backend, base.seed())) {
            TrainingResult result = new Trainer(tc).train(net, data.train(), data.validation(),
                    (stats, improved) -> err.println("base " + base.dataset() + "/" + base.model() + ": " + EpochLines.line(stats, epochs, false)));
            Evaluation test = Evaluator.evaluate(net, data.test(), batch);
            Map<String, Double> metrics = TrainedMetrics.of(result.last(), test, task, data.targetScale(), result.seconds());
            ModelDescription description = new ModelDescription(config, meta.withMetrics(metrics));
            Checkpoint.saveSplit(out, data.all().name(), data.all().size(), data.split());
            Checkpoint.saveWeights(out, backend, net.stateDict(), description);
            Checkpoint.saveDescription(out, description);
        }
    }

    /** model.json's training settings, named as edgeq train names them. */
    private static Map<String, String> settings(BaseModelSpec base, int epochs, int batch, float lr) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", base.model());
        s.put("preset", base.preset());
        s.put("epochs", Integer.toString(epochs));
        s.put("batch_size", Integer.toString(batch));
        s.put("lr", Float.toString(lr));
        s.put("optimizer", "adam");
        s.put("schedule", "constant");
        s.put("weight_decay", Float.toString(0f));
        s.put("patience", "0");
        s.put("limit", Integer.toString(base.limit()));
        return s;
    }

    /**
     * Temporary folders of a trainer that was killed under the naming of EdgeQ before {@link StagedDirectory}
     * ({@code <key>.tmp-*}); only the lock holder calls this, so none is in use. StagedDirectory cleans its own.
     */
    private void removeLeftovers(String key) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, key + ".tmp-*")) {
            for (Path p : s) deleteTree(p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
