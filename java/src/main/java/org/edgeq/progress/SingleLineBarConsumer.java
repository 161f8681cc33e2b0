package org.edgeq.progress;

import me.tongfei.progressbar.ProgressBarConsumer;

import java.io.PrintWriter;

/** Draws one progress bar in place on the current terminal line, and wipes it when the bar finishes. */
final class SingleLineBarConsumer implements ProgressBarConsumer {
    private static final String CLEAR_TO_END = "\033[K";
    private static final String CLEAR_LINE = "\r\033[2K";
    private final PrintWriter out;
    private final int width;
    private boolean closed;

    SingleLineBarConsumer(PrintWriter out, int width) {
        this.out = out;
        this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
        // One column short of the width, so the terminal never wraps the line and the carriage return stays on it.
        return width - 1;
    }

    @Override
    public synchronized void accept(String rendered) {
        if (closed) return;
        out.print("\r" + rendered + CLEAR_TO_END);
        out.flush();
    }

    @Override
    public synchronized void close() {
        out.flush();
    }

    /**
     * Wipes the bar's line and drops any later rendering. The library's own clear-on-finish is skipped when a bar
     * closes before its first timed rendering (short epochs), so the owner wipes through here instead.
     */
    synchronized void finish() {
        if (closed) return;
        closed = true;
        out.print(CLEAR_LINE);
        out.flush();
    }
}
