package org.edgeq.quant;

/**
 * The standard normal quantile function (inverse CDF) as scipy computes it ({@code scipy.special.ndtri}, the
 * Cephes rational approximations by S. L. Moshier: relative error below 1e-15), so that the seed's prior_normal
 * landmarks ({@code scipy.stats.norm.ppf}) agree with scipy's to the last bits.
 */
final class NormalQuantile {
    private static final double SQRT_TWO_PI = 2.50662827463100050242E0;
    private static final double EXP_MINUS_TWO = 0.13533528323661269189;

    /** |y − 0.5| ≤ 3/8: x/√(2π) = w + w³·P0(w²)/Q0(w²), w = y − 0.5. */
    private static final double[] P0 = {-5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
            1.39312609387279679503E1, -1.23916583867381258016E0};
    private static final double[] Q0 = {1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
            -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1, 1.59056225126211695515E1,
            -1.18331621121330003142E0};
    /** z = √(−2 log y) in [2, 8). */
    private static final double[] P1 = {4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
            4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0, -1.40256079171354495875E-1,
            -3.50424626827848203418E-2, -8.57456785154685413611E-4};
    private static final double[] Q1 = {1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
            1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1, -3.80806407691578277194E-2,
            -9.33259480895457427372E-4};
    /** z in [8, 64). */
    private static final double[] P2 = {3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
            1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2, 3.01581553508235416007E-4,
            2.65806974686737550832E-6, 6.23974539184983293730E-9};
    private static final double[] Q2 = {6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
            2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4, 2.89247864745380683936E-6,
            6.79019408009981274425E-9};

    private NormalQuantile() {
    }

    /** z with Φ(z) = p, for p in (0, 1). */
    static double of(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("normal quantile needs p in (0, 1), got " + p);
        boolean lowerTail = true;
        double y = p;
        if (y > 1.0 - EXP_MINUS_TWO) {
            y = 1.0 - y;
            lowerTail = false;
        }
        if (y > EXP_MINUS_TWO) {
            y = y - 0.5;
            double y2 = y * y;
            double x = y + y * (y2 * poly(y2, P0) / monicPoly(y2, Q0));
            return x * SQRT_TWO_PI;
        }
        double x = Math.sqrt(-2.0 * Math.log(y));
        double x0 = x - Math.log(x) / x;
        double z = 1.0 / x;
        double x1 = x < 8.0 ? z * poly(z, P1) / monicPoly(z, Q1) : z * poly(z, P2) / monicPoly(z, Q2);
        double r = x0 - x1;
        return lowerTail ? -r : r;
    }

    /** c[0]·x^N + … + c[N] by Horner's rule. */
    private static double poly(double x, double[] c) {
        double ans = c[0];
        for (int i = 1; i < c.length; i++) ans = ans * x + c[i];
        return ans;
    }

    /** x^N + c[0]·x^(N−1) + … + c[N−1] (leading coefficient 1, not stored). */
    private static double monicPoly(double x, double[] c) {
        double ans = x + c[0];
        for (int i = 1; i < c.length; i++) ans = ans * x + c[i];
        return ans;
    }
}
