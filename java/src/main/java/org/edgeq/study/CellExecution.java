package org.edgeq.study;

import org.edgeq.backend.Backend;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.metrics.MeterOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Runs one study cell on a backend: its base model from the cache (trained there first if need be), opened once per
 * base model and shared by the cells of this process, then the cell's variant through {@link CellRunner}, its rows
 * kept (no exports: a study records rows, the size column counts the export's bytes) and returned together.
 */
public final class CellExecution {
    private final BaseModels models;
    private final Path dataDir;
    private final Settings settings;
    private final Map<String, ModelUnderStudy> opened = new ConcurrentHashMap<>();

    /**
     * How each cell is measured.
     *
     * @param evalBatchSize samples per forward pass of the measurements
     * @param meter         latency, throughput and memory measurement
     * @param energy        the energy meters' options (and the grid's carbon intensity)
     * @param students      the architectures of distilled students
     */
    public record Settings(int evalBatchSize, MeterOptions meter, EnergyOptions energy, CellRunner.StudentArchitectures students) {
    }

    public CellExecution(BaseModels models, Path dataDir, Settings settings) {
        this.models = models;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /**
     * The cells of the study whose folder is {@code studyDir}, as edgeq study runs them: base models trained into
     * and shared from its {@value StudyResults#MODELS}/ folder, models, presets and students by their command-line
     * names ({@link NamedArchitectures}).
     *
     * @param studyDir      the study's folder (--out)
     * @param dataDir       where named datasets live (null: the default data directory)
     * @param evalBatchSize samples per forward pass of the measurements
     * @param meter         latency, throughput and memory measurement
     * @param energy        the energy meters' options
     * @return the execution of the study's cells
     */
    public static CellExecution inFolder(Path studyDir, Path dataDir, int evalBatchSize, MeterOptions meter, EnergyOptions energy) {
        NamedArchitectures architectures = new NamedArchitectures();
        return new CellExecution(new BaseModels(studyDir.resolve(StudyResults.MODELS), dataDir, architectures), dataDir,
                new Settings(evalBatchSize, meter, energy, architectures));
    }

    /**
     * Checks, before any work, that the base models of {@code cells} can be trained here (each once): bad input
     * such as a missing dataset fails the study at once (BadUsageException, BadInputException) rather than each cell.
     */
    public void check(List<StudyCell> cells) throws IOException {
        for (BaseModelSpec b : cells.stream().map(StudyCell::base).distinct().toList()) models.check(b);
    }

    /**
     * The rows of {@code cell}, made on {@code backend}; training lines go to {@code log}, each step to {@code progress};
     * {@code threads} is the cell's share of the cores (its integer simulation's threads).
     */
    public List<ResultRow> run(StudyCell cell, Backend backend, int threads, PrintWriter log, LongConsumer progress) throws IOException {
        ModelUnderStudy study = open(cell.base(), backend, log);
        List<ResultRow> rows = new ArrayList<>();
        CompressionRun run = new CompressionRun(study, rows::add, null, settings.evalBatchSize(), cell.base().seed(), settings.meter(), cell.id());
        run.start(EnergyMeters.forBackend(backend.name(), settings.energy()));
        CellRunner runner = new CellRunner(run, backend, cell.base().seed(), settings.energy().grid(), log).onProgress(progress)
                .withThreads(threads);
        runner.run(cell.variant(), settings.students());
        return rows;
    }

    private ModelUnderStudy open(BaseModelSpec base, Backend backend, PrintWriter log) throws IOException {
        String key = BaseModelKey.of(base);
        ModelUnderStudy m = opened.get(key);
        if (m != null) return m;
        Path dir = models.ensure(base, backend, log);
        // Two cells may open it at once; either copy is the same model, and one of them is kept.
        return opened.computeIfAbsent(key, k -> openQuietly(dir));
    }

    private ModelUnderStudy openQuietly(Path dir) {
        try {
            return ModelUnderStudy.open("base model", dir, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
