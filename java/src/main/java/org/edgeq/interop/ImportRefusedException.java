package org.edgeq.interop;

import java.io.IOException;
import java.nio.file.Path;

/** A weights file that cannot become an EdgeQ model; the message is one line, "file: reason", naming the tensor or node. */
public final class ImportRefusedException extends IOException {

    public ImportRefusedException(Path file, String reason) {
        super(file + ": " + reason);
    }

    public ImportRefusedException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
