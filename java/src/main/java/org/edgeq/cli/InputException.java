package org.edgeq.cli;

/** Bad input whose message already names the spot (e.g. "file:line: reason"); printed as is, exit 2. */
public final class InputException extends RuntimeException {
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
