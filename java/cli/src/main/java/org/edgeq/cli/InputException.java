package org.edgeq.cli;

import org.edgeq.study.BadInputException;

/** Bad input whose message already names the spot (e.g. "file:line: reason"); printed as is, exit 2. */
public final class InputException extends BadInputException {
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
