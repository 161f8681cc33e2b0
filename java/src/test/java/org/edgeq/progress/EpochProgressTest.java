package org.edgeq.progress;

import org.edgeq.train.EpochListener;
import org.edgeq.train.EpochStats;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-batch bars during training: drawn and wiped on a terminal, absent elsewhere, epoch lines unchanged. */
class EpochProgressTest {
    private static final EpochStats STATS = new EpochStats(1, 0.5, 0.8, 0.6, 0.7, Double.NaN, 1e-3f, 0.4);

    @Test
    void offATerminalOnlyTheEpochLinesAppear() {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text, true);
        try (EpochProgress p = EpochProgress.withBars((s, i) -> err.println("epoch line"), "", 2, err, false)) {
            for (int b = 1; b <= 50; b++) p.batchEnded(1, b, 50);
            p.epochEnded(STATS, true);
        }
        assertEquals("epoch line" + System.lineSeparator(), text.toString());
    }

    @Test
    void onATerminalTheBarIsWipedBeforeTheEpochLineAndBatchesReachTheWrappedListener() {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text, true);
        List<Integer> batches = new ArrayList<>();
        EpochListener lines = new EpochListener() {
            @Override
            public void epochEnded(EpochStats stats, boolean improved) {
                err.println("epoch line");
            }

            @Override
            public void batchEnded(int epoch, int batch, int total) {
                batches.add(batch);
            }
        };
        try (EpochProgress p = EpochProgress.withBars(lines, "w4: ", 3, err, true)) {
            for (int b = 1; b <= 40; b++) p.batchEnded(1, b, 40);
            p.epochEnded(STATS, true);
            p.batchEnded(2, 1, 40); // an epoch cut short (Ctrl-C, divergence): close() wipes its bar
        }
        String out = text.toString();
        assertEquals(41, batches.size());
        assertTrue(out.contains("w4: epoch 1/3"), out);
        assertTrue(out.contains("40/40"), "the bar's last rendering shows every batch: " + out);
        int wipe = out.lastIndexOf("\r\033[2K", out.indexOf("epoch line"));
        assertTrue(wipe >= 0, "the bar is wiped before the epoch line: " + out);
        assertTrue(out.endsWith("\r\033[2K"), "the cut-short epoch's bar is wiped too: " + out);
    }
}
