package org.edgeq.study;

/**
 * Bad input whose message already names the spot ({@code file:line: reason}: a study file, a data file, a recorded
 * data selection); printed as it is, exit 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }

    public BadInputException(String message) {
        super(message);
    }
}
