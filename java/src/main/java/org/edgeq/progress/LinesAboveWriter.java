package org.edgeq.progress;

import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * A writer whose complete lines go above a study's bars, for the messages cells print while the bars are drawn
 * (training epochs, rows); written straight to the terminal they would land inside the block the bars redraw.
 * Cells share it from several threads, so each thread's unfinished line is kept apart until its end.
 */
final class LinesAboveWriter extends Writer {
    private final TerminalStudyBars bars;
    private final Map<Thread, StringBuilder> partial = new HashMap<>();

    LinesAboveWriter(TerminalStudyBars bars) {
        this.bars = bars;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        StringBuilder line = partial.computeIfAbsent(Thread.currentThread(), t -> new StringBuilder());
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                bars.lineAbove(line.toString());
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
        if (line.isEmpty()) partial.remove(Thread.currentThread());
    }

    @Override
    public void flush() {
        // A partial line waits for its end: the bars below it would otherwise split it.
    }

    @Override
    public synchronized void close() {
        for (StringBuilder line : partial.values()) bars.lineAbove(line.toString());
        partial.clear();
    }
}
