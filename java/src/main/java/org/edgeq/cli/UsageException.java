package org.edgeq.cli;

/**
 * Bad usage found after parsing (an option that does not fit the chosen model or dataset); reported like a parse
 * error: one line, the --help hint, exit 2.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
