package org.edgeq.cli;

import org.edgeq.progress.StudyListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study's progress: timestamped lines off a terminal, nothing when quiet, bars that survive many threads. */
class StudyProgressTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-12-05T15:01:02.400Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesNameTheCellByItsNumberAndSayWhenItStartedFinishedOrFailed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HandClock clock = new HandClock();
        StudyListener l = StudyProgress.lines(stream(bytes), clock, Duration.ofSeconds(10));
        l.studyStarted(12, 2);
        l.cellStarted("aaa", "rounding-uniform-4bit", 100);
        clock.advance(Duration.ofMillis(2100));
        l.cellProgress("aaa", 50);
        l.cellFinished("aaa", "rounding-uniform-4bit", 2.1);
        l.cellStarted("bbb", "qat-4bit", 0);
        l.cellFailed("bbb", "qat-4bit", "diverged at epoch 2");
        l.studyFinished(1, 1, 4.0);
        assertEquals(List.of(
                "2026-12-05T15:01:02Z study: 12 cells, 2 done by an earlier run, 10 to run",
                "2026-12-05T15:01:02Z cell 3/12 rounding-uniform-4bit started",
                "2026-12-05T15:01:04Z cell 3/12 rounding-uniform-4bit finished in 2.1 s",
                "2026-12-05T15:01:04Z cell 4/12 qat-4bit started",
                "2026-12-05T15:01:04Z cell 4/12 qat-4bit failed: diverged at epoch 2",
                "2026-12-05T15:01:04Z study finished: 1 cells, 1 failed in 4 s"), lines(bytes));
    }

    @Test
    void theOverallLineWithEtaComesAtMostOncePerInterval() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HandClock clock = new HandClock();
        StudyListener l = StudyProgress.lines(stream(bytes), clock, Duration.ofSeconds(10));
        l.studyStarted(4, 0);
        l.cellStarted("a", "fp32", 10);
        for (int step = 1; step <= 10; step++) {
            clock.advance(Duration.ofSeconds(2));
            l.cellProgress("a", step);
        }
        List<String> overall = lines(bytes).stream().filter(s -> s.contains("cells done")).toList();
        // 20 s of progress with a 10 s interval: one line at 10 s and one at 20 s, not one per step.
        assertEquals(2, overall.size(), String.join("\n", lines(bytes)));
        // At 10 s half of one of four cells is done: 3.5 cells to go at 20 s a cell.
        assertEquals("2026-12-05T15:01:12Z 0/4 cells done, 1 running, 10 s elapsed, ETA 1m 10s", overall.getFirst());
        assertTrue(overall.get(1).endsWith("0/4 cells done, 1 running, 20 s elapsed, ETA 1m 00s"), overall.get(1));
    }

    @Test
    void quietShowsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StudyListener l = StudyProgress.forStderr(stream(bytes), true);
        l.studyStarted(3, 0);
        l.cellStarted("a", "fp32", 5);
        l.cellProgress("a", 5);
        l.cellFinished("a", "fp32", 1.0);
        l.cellFailed("b", "qat", "boom");
        l.studyFinished(1, 1, 2.0);
        assertEquals(0, bytes.size());
    }

    @Test
    void offATerminalForStderrGivesPlainLines() {
        // Under the test runner stderr is a pipe or a file, never a terminal.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StudyListener l = StudyProgress.forStderr(stream(bytes), false);
        l.studyStarted(1, 0);
        assertTrue(lines(bytes).getFirst().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ study: 1 cells, 1 to run"), lines(bytes).getFirst());
    }

    @Test
    void terminalBarsTakeConcurrentCellsFromManyThreadsAndEndWithEveryCellsLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StudyListener l = StudyProgress.bars(stream(bytes), 100);
        int threads = 8, perThread = 25;
        l.studyStarted(threads * perThread, 0);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int c = 0; c < perThread; c++) {
                    String id = thread + "-" + c;
                    l.cellStarted(id, "cell-" + id, 20);
                    for (int s = 1; s <= 20; s++) l.cellProgress(id, s);
                    if (c % 5 == 4) l.cellFailed(id, "cell-" + id, "a reason long enough to be cut at the terminal's width ".repeat(3));
                    else l.cellFinished(id, "cell-" + id, 0.1);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        l.studyFinished(160, 40, 3.0);
        String out = bytes.toString(StandardCharsets.UTF_8);
        long finishedLines = out.lines().filter(s -> s.contains(" finished in ")).count();
        long failedLines = out.lines().filter(s -> s.contains(" failed: ")).count();
        assertEquals(160, finishedLines);
        assertEquals(40, failedLines);
        assertTrue(out.contains("study finished: 160 cells, 40 failed"), "closing line");
        for (String line : out.split("\n")) {
            String visible = line.replaceAll("\033\\[[0-9;]*[A-Za-z]", "");
            // Only the bars are redrawn in place, so only they must not wrap.
            if (visible.contains("│")) assertTrue(visible.codePointCount(0, visible.length()) < 100, "a bar wider than the terminal: " + visible);
        }
    }

    @Test
    void messagesPrintedDuringTheBarsComeOutWholeAboveThem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StudyListener l = StudyProgress.bars(stream(bytes), 80);
        java.io.PrintWriter fallback = new java.io.PrintWriter(java.io.Writer.nullWriter());
        java.io.PrintWriter messages = StudyProgress.messages(l, fallback);
        l.studyStarted(4, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String id = "c" + t;
            done.add(pool.submit(() -> {
                l.cellStarted(id, "cell-" + id, 10);
                for (int s = 1; s <= 10; s++) {
                    messages.print(id + ": epoch " + s + "/10 ");
                    messages.println("train loss 0.5 acc 0.8, a line longer than the eighty columns of this terminal");
                    l.cellProgress(id, s);
                }
                l.cellFinished(id, "cell-" + id, 0.5);
                return null;
            }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        l.studyFinished(4, 0, 1.0);
        List<String> visible = bytes.toString(StandardCharsets.UTF_8).lines()
                .map(s -> s.replaceAll("\033\\[[0-9;]*[A-Za-z]", "")).toList();
        for (int t = 0; t < 4; t++) {
            for (int s = 1; s <= 10; s++) {
                assertTrue(visible.contains("c" + t + ": epoch " + s + "/10 train loss 0.5 acc 0.8, a line longer than the eighty columns of this terminal"),
                        "whole line for c" + t + " epoch " + s);
            }
        }
        assertTrue(StudyProgress.messages(StudyProgress.lines(stream(bytes), Clock.systemUTC(), Duration.ofSeconds(5)), fallback) == fallback,
                "off a terminal the messages go where they went");
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
