package org.edgeq.progress;

import me.tongfei.progressbar.ProgressBarConsumer;

/** Keeps a progress bar's latest rendering for a display that draws several bars together. */
final class CapturingBarConsumer implements ProgressBarConsumer {
    private final int width;
    private volatile String latest;

    /** {@code placeholder} stands for the bar until the library first renders it. */
    CapturingBarConsumer(int width, String placeholder) {
        this.width = width;
        this.latest = placeholder;
    }

    @Override
    public int getMaxRenderedLength() {
        return width - 1;
    }

    @Override
    public void accept(String rendered) {
        latest = rendered;
    }

    /** The bar as last rendered, or the placeholder before its first rendering. */
    String latest() {
        return latest;
    }

    @Override
    public void close() {
    }
}
