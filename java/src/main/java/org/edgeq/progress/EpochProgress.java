package org.edgeq.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.edgeq.train.EpochListener;
import org.edgeq.train.EpochStats;

import java.io.PrintWriter;

/**
 * A training epoch's batches as a progress bar with ETA on a terminal: the bar lives while the epoch trains and gives
 * way to the epoch's own line when it ends, so the scrollback holds the same lines as without a terminal.
 */
public final class EpochProgress implements EpochListener, AutoCloseable {
    private final EpochListener lines;
    private final boolean bars;
    private final String prefix;
    private final int epochs;
    private final PrintWriter err;
    private ProgressBar bar;
    private SingleLineBarConsumer line;
    private int barEpoch;

    private EpochProgress(EpochListener lines, String prefix, int epochs, PrintWriter err, boolean bars) {
        this.lines = lines;
        this.bars = bars;
        this.prefix = prefix;
        this.epochs = epochs;
        this.err = err;
    }

    /**
     * {@code lines} with a per-epoch bar when stderr is a terminal, {@code lines} alone otherwise. Close it when
     * training ends, also by an exception, so that no bar is left drawing over the messages that follow.
     *
     * @param prefix what the bar's label starts with ("w4 " for a QAT row, "" for plain training)
     */
    public static EpochProgress onStderr(EpochListener lines, String prefix, int epochs, PrintWriter err) {
        return withBars(lines, prefix, epochs, err, StderrTerminal.isTerminal());
    }

    /** {@link #onStderr} with the terminal question answered by the caller (tests). */
    public static EpochProgress withBars(EpochListener lines, String prefix, int epochs, PrintWriter err, boolean terminal) {
        return new EpochProgress(lines, prefix, epochs, err, terminal);
    }

    @Override
    public void batchEnded(int epoch, int batch, int batches) {
        if (!bars) {
            lines.batchEnded(epoch, batch, batches);
            return;
        }
        if (bar == null || barEpoch != epoch) {
            closeBar();
            barEpoch = epoch;
            line = new SingleLineBarConsumer(err, StderrTerminal.columns());
            bar = new ProgressBarBuilder()
                    .setTaskName(prefix + "epoch " + epoch + "/" + epochs)
                    .setInitialMax(batches)
                    .setUnit(" batches", 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(line)
                    .build();
        }
        bar.stepTo(batch);
        lines.batchEnded(epoch, batch, batches);
    }

    @Override
    public void epochEnded(EpochStats stats, boolean improved) {
        // The bar is wiped before the epoch's line is printed on the same terminal line.
        closeBar();
        lines.epochEnded(stats, improved);
    }

    @Override
    public void close() {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            line.finish();
            bar = null;
            line = null;
        }
    }
}
