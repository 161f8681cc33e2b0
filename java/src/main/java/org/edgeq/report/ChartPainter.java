package org.edgeq.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Draws a {@link ChartSpec} with XChart onto an image and writes it as PNG. Headless (it sets java.awt.headless
 * unless the caller already chose), in a fixed palette that tells colour-blind readers the curves apart (Okabe-Ito
 * order), EdgeQ's curves solid with filled circles, the seed's dashed with diamonds, the FP32 line grey and dashed,
 * the Pareto front a thick near-black line. Only the raster path of XChart is used, so its SVG/PDF/GIF libraries
 * are not needed.
 */
public final class ChartPainter {

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Plot width in pixels. */
    public static final int WIDTH = 800;
    /** Plot height in pixels. */
    public static final int HEIGHT = 500;

    /** Okabe-Ito's colour-blind-safe colours (yellow darkened to read on white), then a few more. */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00), new Color(0xCC79A7),
            new Color(0x56B4E9), new Color(0xB59A00), new Color(0x6A3D9A), new Color(0x8C564B), new Color(0x7F7F7F)};
    private static final Color REFERENCE = new Color(0x888888);
    private static final Color FRONT = new Color(0x222222);
    private static final String FONT = Font.SANS_SERIF;

    private ChartPainter() {
    }

    /** Draws {@code spec} into {@code file} ({@link #WIDTH} × {@link #HEIGHT} PNG). */
    public static void write(ChartSpec spec, Path file) throws IOException {
        BufferedImage image = paint(spec);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JVM");
        }
    }

    /** The plot as an image, white background, anti-aliased. */
    static BufferedImage paint(ChartSpec spec) {
        XYChart chart = chart(spec);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            chart.paint(g, WIDTH, HEIGHT);
        } finally {
            g.dispose();
        }
        return image;
    }

    static XYChart chart(ChartSpec spec) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(spec.title());
        chart.setXAxisTitle(spec.xLabel());
        chart.setYAxisTitle(spec.yLabel());
        style(chart.getStyler(), spec);
        // The front first, so that the variants' markers are drawn over its line rather than hidden under it.
        for (ChartSpec.Curve c : spec.curves()) if (c.style() == ChartSpec.Style.FRONT) add(chart, c);
        for (ChartSpec.Curve c : spec.curves()) if (c.style() != ChartSpec.Style.FRONT) add(chart, c);
        return chart;
    }

    private static void style(XYStyler s, ChartSpec spec) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xBBBBBB));
        s.setPlotGridLinesColor(new Color(0xE4E4E4));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 15));
        s.setChartTitleBoxVisible(false);
        s.setChartFontColor(new Color(0x222222));
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 11));
        s.setAxisTickLabelsColor(new Color(0x333333));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 11));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendSeriesLineLength(28);
        s.setMarkerSize(7);
        s.setChartPadding(12);
        s.setPlotMargin(8);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
        if (spec.xInteger()) s.setXAxisDecimalPattern("0");
        if (spec.yMin() != null) s.setYAxisMin(spec.yMin());
        if (spec.yMax() != null) s.setYAxisMax(spec.yMax());
        s.setAxisTicksLineVisible(false);
        s.setAxisTicksMarksVisible(false);
        // y only: on x, XChart puts the ticks of a formatting function at the data's own x values, too few for a
        // sparsity plot of two ratios; its default x labels are evenly spaced.
        s.setyAxisTickLabelsFormattingFunction(ChartPainter::tick);
    }

    /** Tick labels without float noise: 85.5, 0.25, 1,200 (XChart's default pattern can print 0.30000000000000004). */
    private static String tick(Double v) {
        if (v == null || !Double.isFinite(v)) return "";
        double a = Math.abs(v);
        String pattern = a == 0 || a >= 100 ? "#,##0" : a >= 10 ? "#,##0.#" : a >= 1 ? "0.##" : a >= 0.01 ? "0.###" : "0.#####";
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
    }

    private static void add(XYChart chart, ChartSpec.Curve c) {
        XYSeries s = chart.addSeries(c.name(), c.x(), c.y());
        switch (c.style()) {
            case LINE -> {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                Color col = colour(c.colour());
                s.setLineColor(col);
                s.setMarkerColor(col);
                s.setLineStyle(c.seed() ? dashed(1.8f, 7f, 4f) : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                s.setMarker(marker(c));
            }
            case SCATTER -> {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                Color col = colour(c.colour());
                s.setMarkerColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 200));
                s.setMarker(marker(c));
            }
            case FRONT -> {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setLineColor(FRONT);
                s.setLineStyle(new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                s.setMarker(SeriesMarkers.NONE);
            }
            case REFERENCE -> {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setLineColor(REFERENCE);
                s.setLineStyle(dashed(1.5f, 3f, 4f));
                s.setMarker(SeriesMarkers.NONE);
            }
        }
    }

    private static Marker marker(ChartSpec.Curve c) {
        return c.seed() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE;
    }

    private static BasicStroke dashed(float width, float dash, float gap) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{dash, gap}, 0f);
    }

    static Color colour(int index) {
        if (index < 0) return FRONT;
        return PALETTE[index % PALETTE.length];
    }
}
