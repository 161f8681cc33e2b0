package org.edgeq.progress;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The small formats the progress displays share: timestamps, durations, the overall sentence. */
final class ProgressText {
    private ProgressText() {
    }

    /** "2026-12-05T15:01:02Z": UTC to the second, so CI logs from different machines sort and compare. */
    static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** "42 s", "3m 05s", "1h 02m". */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /** "5/12 cells done (1 failed), 2 running, 1m 03s elapsed, ETA 2m 10s". */
    static String overall(StudyTally.Snapshot s, double elapsedSeconds) {
        StringBuilder b = new StringBuilder();
        b.append(s.alreadyDone() + s.finished() + s.failed()).append('/').append(s.cells()).append(" cells done");
        if (s.failed() > 0) b.append(" (").append(s.failed()).append(" failed)");
        b.append(", ").append(s.running().size()).append(" running, ").append(duration(elapsedSeconds)).append(" elapsed");
        double eta = s.etaSeconds(elapsedSeconds);
        b.append(", ETA ").append(eta < 0 ? "unknown" : duration(eta));
        return b.toString();
    }
}
