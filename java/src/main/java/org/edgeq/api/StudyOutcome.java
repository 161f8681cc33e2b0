package org.edgeq.api;

import org.edgeq.study.ResultRow;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Study#run()} did and where its results are: the counts {@code edgeq study} prints, every row on
 * file (this run's and earlier runs' of the same study), and the files it wrote.
 *
 * @param cells        the study's cells
 * @param alreadyDone  cells an earlier run had finished, not run again
 * @param finished     cells run and recorded now
 * @param failed       cells that failed now (the others still ran); running the study again retries them
 * @param rows         every row of results.csv, in file order
 * @param resultsCsv   the study's results.csv (schema v2, one cell_id per cell)
 * @param resultsJson  the same rows as a JSON array, results.json
 * @param report       the study's report page, report.html (summary.md and plots/ beside it)
 * @param bestVariants the report's best variant per budget, as {@code edgeq study} prints them after its table
 */
public record StudyOutcome(int cells, int alreadyDone, int finished, int failed, List<ResultRow> rows, Path resultsCsv,
                           Path resultsJson, Path report, List<String> bestVariants) {
    /** Copies the lists: an outcome does not change after it is returned. */
    public StudyOutcome {
        rows = List.copyOf(rows);
        bestVariants = List.copyOf(bestVariants);
    }
}
