package org.edgeq.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The peak resident set size of this process so far, as the kernel counts it (what GNU time -v reports). */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** VmHWM of /proc/self/status in bytes; empty where there is no such file (not Linux). */
    public static OptionalLong peakResidentBytes() {
        try {
            return peakResidentBytes(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }

    /** VmHWM from the lines of a status file: "VmHWM:   123456 kB". */
    static OptionalLong peakResidentBytes(List<String> statusLines) {
        for (String line : statusLines) {
            if (!line.startsWith("VmHWM:")) continue;
            String[] parts = line.substring(6).trim().split("\\s+");
            if (parts.length == 2 && parts[1].equals("kB")) {
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                } catch (NumberFormatException malformed) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
