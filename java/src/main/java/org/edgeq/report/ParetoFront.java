package org.edgeq.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of variants under two objectives, a cost to minimise and a quality to maximise (or minimise):
 * the points no other point dominates, where one point dominates another if it is at least as good in both and
 * strictly better in one. Identical points dominate neither each other, so duplicates on the front all stay on it.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * The indices of the front's points, ordered by increasing cost (ties: better quality first, then input
     * order). Points with a non-finite cost or quality are never on it.
     */
    public static List<Integer> of(double[] cost, double[] quality, boolean higherQualityIsBetter) {
        if (cost.length != quality.length) {
            throw new IllegalArgumentException(cost.length + " costs but " + quality.length + " qualities");
        }
        double sign = higherQualityIsBetter ? 1 : -1;
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < cost.length; i++) {
            if (!Double.isFinite(cost[i]) || !Double.isFinite(quality[i])) continue;
            boolean dominated = false;
            for (int j = 0; j < cost.length && !dominated; j++) {
                if (j == i || !Double.isFinite(cost[j]) || !Double.isFinite(quality[j])) continue;
                double qi = sign * quality[i];
                double qj = sign * quality[j];
                dominated = cost[j] <= cost[i] && qj >= qi && (cost[j] < cost[i] || qj > qi);
            }
            if (!dominated) front.add(i);
        }
        front.sort(Comparator.<Integer>comparingDouble(i -> cost[i]).thenComparingDouble(i -> -sign * quality[i])
                .thenComparingInt(i -> i));
        return List.copyOf(front);
    }
}
