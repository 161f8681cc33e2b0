package org.edgeq.cli;

/** The exit codes every edgeq command uses, so scripts can tell bad input from a failed run. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command was used correctly but failed while running (training diverged, internal error). */
    public static final int FAILURE = 1;
    /** Bad usage or bad input: unknown option, malformed data file, corrupt checkpoint. Nothing was written. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
