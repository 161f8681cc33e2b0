package org.edgeq.report;

import java.util.List;

/**
 * What one plot shows, independent of the plotting library: its file name, words, axes and curves, plus the notes
 * and Pareto-front points the report prints beside it. {@link ChartPainter} draws it; the HTML and Markdown
 * writers describe it.
 *
 * @param fileName the PNG's name inside plots/
 * @param subject  the dataset and model it is about
 * @param title    the title drawn on it
 * @param xLabel   the x-axis title, unit included
 * @param yLabel   the y-axis title, unit included
 * @param curves   what is drawn, in legend order
 * @param xInteger whether x ticks are whole numbers (bit widths)
 * @param front    the Pareto front's points with what they are, by increasing cost; empty for plots without one
 * @param notes    what the reader should know: rows left out and why, stand-in values
 * @param yMin     the y axis's lower end, null to fit the data
 * @param yMax     the y axis's upper end, null to fit the data
 */
public record ChartSpec(String fileName, SourcedRow.Subject subject, String title, String xLabel, String yLabel,
                        List<Curve> curves, boolean xInteger, List<FrontPoint> front, List<String> notes, Double yMin,
                        Double yMax) {

    public ChartSpec {
        curves = List.copyOf(curves);
        front = List.copyOf(front);
        notes = List.copyOf(notes);
    }

    /** A plot whose y axis fits its data. */
    public ChartSpec(String fileName, SourcedRow.Subject subject, String title, String xLabel, String yLabel,
                     List<Curve> curves, boolean xInteger, List<FrontPoint> front, List<String> notes) {
        this(fileName, subject, title, xLabel, yLabel, curves, xInteger, front, notes, null, null);
    }

    /** How a curve is drawn. */
    public enum Style {
        /** points joined in x order, with markers */
        LINE,
        /** markers only */
        SCATTER,
        /** the Pareto front: a thick dark line through the front's points */
        FRONT,
        /** a horizontal reference line (the FP32 baseline), no markers */
        REFERENCE
    }

    /**
     * One series.
     *
     * @param name   its legend entry (unique within the plot)
     * @param x      x values
     * @param y      y values
     * @param style  how it is drawn
     * @param colour index into the painter's palette (same index, same colour across plots of one kind)
     * @param seed   whether the points are the seed study's (dashed lines, hollow-looking markers) rather than EdgeQ's
     */
    public record Curve(String name, double[] x, double[] y, Style style, int colour, boolean seed) {
        public Curve {
            if (x.length != y.length) throw new IllegalArgumentException(name + ": " + x.length + " x but " + y.length + " y values");
        }
    }

    /**
     * A point on the Pareto front, for the table under the plot.
     *
     * @param label   the variant
     * @param source  where its row came from
     * @param cost    its cost as text, unit included
     * @param quality its quality as text
     */
    public record FrontPoint(String label, String source, String cost, String quality) {
    }

    /** The number of points drawn, reference lines and the front not counted. */
    public int points() {
        int n = 0;
        for (Curve c : curves) if (c.style() == Style.LINE || c.style() == Style.SCATTER) n += c.x().length;
        return n;
    }
}
