package org.edgeq.cli;

import org.edgeq.study.BadUsageException;

/**
 * Bad usage found after parsing (an option that does not fit the chosen model or dataset); reported like a parse
 * error: one line, the --help hint, exit 2.
 */
public final class UsageException extends BadUsageException {
    public UsageException(String message) {
        super(message);
    }
}
