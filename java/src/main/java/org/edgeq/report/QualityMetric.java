package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.Collection;
import java.util.Locale;

/**
 * The figure a report ranks variants by, per dataset and model: test accuracy for classifiers, else R², else the
 * test MSE, else the test loss (the seed's regression tables record only their loss). What a "point" is follows the
 * figure: one percentage point of accuracy, 0.01 of R², and for MSE and loss (lower is better, units vary) 1% of
 * the FP32 baseline's value.
 */
public enum QualityMetric {
    ACCURACY("test accuracy", "test accuracy (%)", true) {
        @Override
        public double value(ResultRow r) {
            return r.quality().testAcc() * 100;
        }
    },
    R2("test R²", "test R² (1 = perfect)", true) {
        @Override
        public double value(ResultRow r) {
            return r.quality().testR2();
        }

        @Override
        double pointSize(double baseline) {
            return 0.01;
        }
    },
    MSE("test MSE", "test MSE (target units²)", false) {
        @Override
        public double value(ResultRow r) {
            return r.quality().testMse();
        }
    },
    LOSS("test loss", "test loss (training units)", false) {
        @Override
        public double value(ResultRow r) {
            return r.quality().testLoss();
        }
    };

    private final String label;
    private final String axisLabel;
    private final boolean higherIsBetter;

    QualityMetric(String label, String axisLabel, boolean higherIsBetter) {
        this.label = label;
        this.axisLabel = axisLabel;
        this.higherIsBetter = higherIsBetter;
    }

    /** The row's figure in this metric's display units (accuracy in %); NaN where the row has none. */
    public abstract double value(ResultRow r);

    /** What one "point" is next to a baseline of {@code baseline}: 1 (a percentage point of accuracy) unless overridden. */
    double pointSize(double baseline) {
        return higherIsBetter ? 1.0 : Math.abs(baseline) / 100;
    }

    /** Whether {@code value} is no more than {@code points} points worse than {@code baseline}. */
    public boolean within(double value, double baseline, double points) {
        if (!Double.isFinite(value) || !Double.isFinite(baseline)) return false;
        double slack = points * pointSize(baseline) + 1e-9 * Math.max(1, Math.abs(baseline));
        return higherIsBetter ? value >= baseline - slack : value <= baseline + slack;
    }

    /** How many points {@code value} is better (positive) or worse (negative) than {@code baseline}. */
    public double pointsVersus(double value, double baseline) {
        double d = higherIsBetter ? value - baseline : baseline - value;
        return d / pointSize(baseline);
    }

    /** Whether {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public String label() {
        return label;
    }

    /** The y-axis title, unit included. */
    public String axisLabel() {
        return axisLabel;
    }

    /** The first metric, in declaration order, that some of {@code rows} have a figure for; LOSS when none has. */
    public static QualityMetric choose(Collection<ResultRow> rows) {
        for (QualityMetric m : values()) {
            for (ResultRow r : rows) if (Double.isFinite(m.value(r))) return m;
        }
        return LOSS;
    }

    /** The figure formatted for tables: accuracy as a percentage with 2 decimals, others with 4 significant digits. */
    public String format(double v) {
        if (!Double.isFinite(v)) return "-";
        return switch (this) {
            case ACCURACY -> String.format(Locale.ROOT, "%.2f%%", v);
            case R2 -> String.format(Locale.ROOT, "%.4f", v);
            case MSE, LOSS -> Numbers.significant(v, 4);
        };
    }
}
