package org.edgeq.study;

/**
 * Bad usage found by the study pipeline after the command line was parsed (an option value that does not fit the
 * model, a missing model directory): reported like a parse error, one line and the --help hint, exit 2.
 */
public class BadUsageException extends RuntimeException {
    public BadUsageException(String message) {
        super(message);
    }
}
