package org.edgeq.progress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether stderr is a terminal: the launcher's word wins, and the test runner's stderr is none. */
class StderrTerminalTest {

    @Test
    void theLaunchersNoIsFinalAndWithoutItTheTestRunnersStderrIsNoTerminal() {
        String before = System.getProperty(StderrTerminal.LAUNCHER_PROPERTY);
        try {
            System.setProperty(StderrTerminal.LAUNCHER_PROPERTY, "false");
            assertFalse(StderrTerminal.isTerminal());
            System.clearProperty(StderrTerminal.LAUNCHER_PROPERTY);
            assertFalse(StderrTerminal.isTerminal(), "surefire's forked JVM writes stderr to a pipe");
        } finally {
            if (before != null) System.setProperty(StderrTerminal.LAUNCHER_PROPERTY, before);
        }
    }

    @Test
    void aWidthIsAlwaysThereEvenWithoutATerminal() {
        assertTrue(StderrTerminal.columns() >= 40, "falls back to 80 columns");
    }
}
