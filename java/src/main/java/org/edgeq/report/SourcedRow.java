package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A result row with the source it came from and its position there, which is what the report groups, labels and
 * matches baselines by.
 *
 * @param source the file (or study) the row was read from
 * @param index  the row's 0-based position among the source's rows
 * @param row    the row
 */
public record SourcedRow(ReportSource source, int index, ResultRow row) {

    /** The dataset and model a row measured: one section of the report, one set of plots. */
    public record Subject(String dataset, String model) {
        @Override
        public String toString() {
            return (dataset == null ? "?" : dataset) + " / " + (model == null ? "?" : model);
        }
    }

    /** Every row of every source, sources in order, rows in file order. */
    public static List<SourcedRow> all(List<ReportSource> sources) {
        List<SourcedRow> out = new ArrayList<>();
        for (ReportSource s : sources) {
            for (int i = 0; i < s.rows().size(); i++) out.add(new SourcedRow(s, i, s.rows().get(i)));
        }
        return out;
    }

    public Subject subject() {
        return new Subject(row.subject().dataset(), row.subject().model());
    }

    /** Whether {@code other} measured the same trained model in the same source (dataset, model, seed, file). */
    public boolean sameRun(SourcedRow other) {
        return source == other.source && Objects.equals(row.subject(), other.row.subject());
    }
}
