package org.edgeq.cli;

import org.edgeq.checkpoint.OutputLock;
import org.edgeq.study.BadInputException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place the commands claim what they write (train's --out, the compression commands' --out and --csv):
 * a path that is a symbolic link is refused (EdgeQ writes only through links it made itself, i.e. none), and a path
 * another edgeq run holds is refused at once naming that run's pid; both one line, exit 2, nothing written.
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /** Claims {@code target} (given as {@code option}) for this run; close the returned lock when the run ends. */
    static OutputLock lock(CommandSpec command, String option, Path target) throws IOException {
        String who = command == null ? "edgeq" : command.qualifiedName();
        if (Files.isSymbolicLink(target)) {
            throw new BadInputException(who + ": " + option + " " + target + " is a symbolic link; EdgeQ does not write through "
                    + "links it did not create (name the real " + (option.equals("--csv") ? "file" : "directory") + ")");
        }
        try {
            return OutputLock.acquire(target);
        } catch (OutputLock.HeldException e) {
            throw new BadInputException(who + ": " + option + " " + target + " is in use by another edgeq run (pid "
                    + (e.pid() > 0 ? Long.toString(e.pid()) : "unknown") + "); wait for it to finish or choose another "
                    + (option.equals("--csv") ? "file" : "directory"));
        }
    }
}
