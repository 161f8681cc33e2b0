package org.edgeq.progress;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process's stderr is an interactive terminal, where progress bars may redraw lines, and how wide it is. */
public final class StderrTerminal {
    /** Set by the ./edgeq launcher, which sees the terminal that its stderr filter hides from the JVM. */
    public static final String LAUNCHER_PROPERTY = "edgeq.stderr.terminal";
    private static final int DEFAULT_COLUMNS = 80;
    private static volatile Integer columns;

    private StderrTerminal() {
    }

    /**
     * True when stderr is a terminal that understands cursor movement. {@code System.console()} alone does not tell:
     * it looks at stdin and stdout, not stderr, and bars on stderr are as welcome when stdout is piped
     * ({@code edgeq train --json | jq}). So the answer is the launcher's (see {@link #LAUNCHER_PROPERTY}), else on
     * Linux what file descriptor 2 points at, else the console's.
     */
    public static boolean isTerminal() {
        String term = System.getenv("TERM");
        if (term == null || term.isEmpty() || term.equals("dumb")) return false;
        // The ./edgeq launcher filters stderr through a pipe, so it checks the terminal itself and says so here.
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher != null) return Boolean.parseBoolean(launcher);
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            Console console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /** The terminal's width in columns, asked once through JLine (80 when it cannot tell). */
    public static int columns() {
        Integer c = columns;
        if (c == null) {
            c = DEFAULT_COLUMNS;
            // No native signal handlers: the terminal lives for this one question, and Ctrl-C belongs to the CLI's hook.
            try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build()) {
                if (t.getWidth() > 10) c = t.getWidth();
            } catch (IOException | RuntimeException e) {
                // A width is a nicety: without one the bars assume 80 columns.
            }
            columns = c;
        }
        return c;
    }
}
