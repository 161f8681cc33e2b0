package org.edgeq.energy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Energy from the RAPL counters of powercap sysfs: the package and DRAM domains' microjoules between start and
 * stop, each counter's wrap at max_energy_range_uj undone. A guard thread reads the counters every second so that a
 * long run cannot wrap a counter twice between two readings (a 262 kJ range wraps after about 20 minutes at 200 W).
 * RAPL measures the whole socket: other processes' work counts too, which the detail line says.
 */
public final class RaplMeter implements EnergyMeter {

    /** How often the wrap guard reads the counters. */
    public static final Duration WRAP_GUARD_PERIOD = Duration.ofSeconds(1);

    private final RaplZones.Found found;
    private final RaplZones.FileReader reader;
    private final Duration guardPeriod;
    private final LongSupplier nanoClock;

    public RaplMeter(RaplZones.Found found) {
        this(found, RaplZones.FileReader.FILES, WRAP_GUARD_PERIOD, System::nanoTime);
    }

    /** A meter over {@code found} reading through {@code reader}; a zero {@code guardPeriod} starts no guard thread (tests). */
    RaplMeter(RaplZones.Found found, RaplZones.FileReader reader, Duration guardPeriod, LongSupplier nanoClock) {
        this.found = found;
        this.reader = reader;
        this.guardPeriod = guardPeriod;
        this.nanoClock = nanoClock;
    }

    @Override
    public String source() {
        return EnergyReading.RAPL;
    }

    @Override
    public String describe() {
        List<String> names = new ArrayList<>();
        for (RaplZones.Zone z : found.zones()) names.add(z.name());
        return "rapl: " + String.join(", ", names) + " from " + found.root();
    }

    @Override
    public Measurement start() {
        return new Running();
    }

    /** One measurement: the counters at start, and the microjoules each zone has counted since, wraps undone. */
    private final class Running implements Measurement {
        private final List<RaplZones.Zone> zones = found.zones();
        private final long startNanos;
        private final long[] last;
        private final long[] counted;
        private final Sampler guard;
        private String failure;
        private EnergyReading result;

        Running() {
            long[] first;
            try {
                first = RaplZones.read(zones, reader);
            } catch (IOException e) {
                first = null;
                failure = e.getMessage();
            }
            startNanos = nanoClock.getAsLong();
            last = first;
            counted = new long[zones.size()];
            guard = first == null || guardPeriod.isZero() ? null
                    : new Sampler("edgeq-rapl-wrap-guard", guardPeriod, this::poll);
        }

        /** Reads the counters and adds what each counted since the last reading. */
        private synchronized void poll() {
            if (failure != null || result != null) return;
            try {
                long[] now = RaplZones.read(zones, reader);
                for (int i = 0; i < now.length; i++) {
                    counted[i] += RaplZones.delta(last[i], now[i], zones.get(i).maxRangeUj());
                    last[i] = now[i];
                }
            } catch (IOException e) {
                failure = e.getMessage();
            }
        }

        @Override
        public synchronized EnergyReading peek() {
            if (result != null) return result;
            poll();
            return reading();
        }

        @Override
        public EnergyReading stop() {
            synchronized (this) {
                if (result != null) return result;
                poll();
                result = reading();
            }
            if (guard != null) guard.close();
            return result;
        }

        private EnergyReading reading() {
            double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
            if (failure != null) return EnergyReading.unmeasured(seconds, "RAPL counters could not be read: " + failure);
            double total = 0;
            List<String> added = new ArrayList<>(), inside = new ArrayList<>();
            for (int i = 0; i < zones.size(); i++) {
                RaplZones.Zone z = zones.get(i);
                double joules = counted[i] / 1e6;
                if (z.kind().counted()) total += joules;
                (z.kind().counted() ? added : inside).add(String.format(Locale.ROOT, "%s %.3f J", z.name(), joules));
            }
            StringBuilder d = new StringBuilder("RAPL ");
            d.append(String.join(" + ", added));
            if (!inside.isEmpty()) d.append(" (not added, inside the package or the platform: ").append(String.join(", ", inside)).append(')');
            d.append(" from ").append(found.root()).append("; the whole socket, other processes included");
            if (!found.notes().isEmpty()) d.append("; ").append(String.join("; ", found.notes()));
            return new EnergyReading(total, seconds, EnergyReading.RAPL, d.toString());
        }
    }
}
