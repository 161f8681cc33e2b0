package org.edgeq.energy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A reading put to use: joules per sample over the samples the work processed, and grams of CO2e at the grid's
 * intensity; as JSON fields and as one line for people. What train, eval and qat print.
 *
 * @param reading the meter's reading
 * @param samples samples the work processed (training samples over all epochs, or samples evaluated)
 * @param grid    the grid's carbon intensity
 */
public record EnergyFigures(EnergyReading reading, long samples, CarbonIntensity grid) {

    public double joulesPerSample() {
        return reading.joulesPer(samples);
    }

    public double carbonGrams() {
        return grid.grams(reading.joules());
    }

    /**
     * Two stretches of work measured by the same kind of meter, as one: joules, seconds and samples added (NaN
     * joules stay NaN), the sources joined where they differ, the later detail kept.
     */
    public EnergyFigures plus(EnergyFigures other) {
        EnergyReading a = reading, b = other.reading;
        String source = a.source().equals(b.source()) ? a.source() : a.source() + "+" + b.source();
        return new EnergyFigures(new EnergyReading(a.joules() + b.joules(), a.seconds() + b.seconds(), source, b.detail()),
                samples + other.samples, grid);
    }

    /**
     * The JSON fields: energy_j, energy_source, energy_j_per_sample, carbon_g, grid_g_per_kwh, energy_detail (the
     * caller puts seconds, which it may already report). NaN figures are for the JSON writer to turn into null.
     */
    public Map<String, Object> jsonFields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("energy_j", reading.joules());
        f.put("energy_source", reading.source());
        f.put("energy_j_per_sample", joulesPerSample());
        f.put("carbon_g", carbonGrams());
        f.put("grid_g_per_kwh", grid.gramsPerKwh());
        f.put("energy_detail", reading.detail());
        return f;
    }

    /** One line: "energy 412 J (estimate) over 12.3 s, 0.0012 J/sample (340,000 samples), 0.050 gCO2e at 436 g/kWh". */
    public String summary() {
        if (Double.isNaN(reading.joules())) {
            return String.format(Locale.ROOT, "energy not measured over %.1f s: %s", reading.seconds(), reading.detail());
        }
        return String.format(Locale.ROOT, "energy %s J (%s) over %.1f s, %s J/sample (%,d samples), %s gCO2e at %.0f g/kWh",
                figure(reading.joules()), reading.source(), reading.seconds(), figure(joulesPerSample()), samples,
                figure(carbonGrams()), grid.gramsPerKwh());
    }

    /** Three significant figures, without exponent clutter for the usual sizes. */
    public static String figure(double v) {
        if (Double.isNaN(v)) return "-";
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 1e-4) return String.format(Locale.ROOT, "%.3g", v); // %g turns scientific below 1e-4
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
