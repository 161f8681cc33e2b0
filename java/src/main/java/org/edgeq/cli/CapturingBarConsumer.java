package org.edgeq.cli;

import me.tongfei.progressbar.ProgressBarConsumer;

/** Keeps a progress bar's latest rendering for a display that draws several bars together. */
final class CapturingBarConsumer implements ProgressBarConsumer {
    private final int width;
    private volatile String latest = "";

    CapturingBarConsumer(int width) {
        this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
        return width - 1;
    }

    @Override
    public void accept(String rendered) {
        latest = rendered;
    }

    /** The bar as last rendered ("" before its first rendering). */
    String latest() {
        return latest;
    }

    @Override
    public void close() {
    }
}
