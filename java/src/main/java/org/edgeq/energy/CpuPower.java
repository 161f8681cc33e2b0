package org.edgeq.energy;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The power the CPU-time estimate assumes: a TDP shared evenly by the package's cores, each figure with where it
 * came from (--cpu-tdp-w, a vendor's specification page, or the stated generic value).
 *
 * @param tdpWatts    thermal design power of one package, watts (&gt; 0)
 * @param tdpSource   where the TDP comes from
 * @param cores       cores it is shared by (&gt;= 1)
 * @param coresSource where the core count comes from
 */
public record CpuPower(double tdpWatts, String tdpSource, int cores, String coresSource) {

    public CpuPower {
        if (!(tdpWatts > 0) || !Double.isFinite(tdpWatts)) throw new IllegalArgumentException("CPU TDP must be a positive number of watts, got " + tdpWatts);
        if (cores < 1) throw new IllegalArgumentException("CPU cores must be >= 1, got " + cores);
    }

    /** Power of one busy core: TDP / cores. */
    public double wattsPerCore() {
        return tdpWatts / cores;
    }

    @Override
    public String toString() {
        return plain(wattsPerCore()) + " W per core = TDP " + plain(tdpWatts) + " W (" + tdpSource + ") / " + cores
                + " cores (" + coresSource + ")";
    }

    /** Four significant figures, no trailing zeros: 42.5, 15, 3.516. */
    static String plain(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
