package org.edgeq.energy;

import java.util.Locale;

/**
 * Grams of CO2-equivalent emitted per kilowatt hour of electricity, and where that figure comes from; turns joules
 * into grams. The default is the world's average for 2022 from Ember's Global Electricity Review 2023 (436 g/kWh,
 * lifecycle emissions, all greenhouse gases as CO2e); a user on a known grid gives theirs with --grid-intensity.
 *
 * @param gramsPerKwh gCO2e per kWh, at least 0
 * @param source      where the figure comes from, one phrase
 */
public record CarbonIntensity(double gramsPerKwh, String source) {

    /** Ember, Global Electricity Review 2023: the carbon intensity of the world's electricity generation in 2022. */
    public static final CarbonIntensity WORLD_2022 = new CarbonIntensity(436,
            "world average 2022, Ember Global Electricity Review 2023 (https://ember-climate.org/insights/research/global-electricity-review-2023/)");

    public CarbonIntensity {
        if (!(gramsPerKwh >= 0) || !Double.isFinite(gramsPerKwh)) {
            throw new IllegalArgumentException("grid intensity must be a finite number of gCO2e/kWh >= 0, got " + gramsPerKwh);
        }
    }

    /** A figure the user gave on the command line. */
    public static CarbonIntensity given(double gramsPerKwh) {
        return new CarbonIntensity(gramsPerKwh, "--grid-intensity");
    }

    /** Grams of CO2e for {@code joules} of electricity: kWh x g/kWh (NaN stays NaN). */
    public double grams(double joules) {
        return joules / 3.6e6 * gramsPerKwh;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.0f gCO2e/kWh (%s)", gramsPerKwh, source);
    }
}
