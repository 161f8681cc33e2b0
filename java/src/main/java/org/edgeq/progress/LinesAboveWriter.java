package org.edgeq.progress;

import java.io.Writer;

/**
 * A writer whose complete lines go above a study's bars, for the messages cells print while the bars are drawn
 * (training epochs, rows); written straight to the terminal they would land inside the block the bars redraw.
 */
final class LinesAboveWriter extends Writer {
    private final TerminalStudyBars bars;
    private final StringBuilder partial = new StringBuilder();

    LinesAboveWriter(TerminalStudyBars bars) {
        this.bars = bars;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                bars.lineAbove(partial.toString());
                partial.setLength(0);
            } else if (c != '\r') {
                partial.append(c);
            }
        }
    }

    @Override
    public void flush() {
        // A partial line waits for its end: the bars below it would otherwise split it.
    }

    @Override
    public synchronized void close() {
        if (!partial.isEmpty()) bars.lineAbove(partial.toString());
        partial.setLength(0);
    }
}
