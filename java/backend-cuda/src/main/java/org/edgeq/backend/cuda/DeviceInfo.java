package org.edgeq.backend.cuda;

import java.util.Locale;

/** What the backend reports about its device: ordinal, name, compute capability (major * 10 + minor), memory. */
record DeviceInfo(int ordinal, String name, int computeCapability, long totalBytes) {
    String describe() {
        return name + ", compute capability " + computeCapability / 10 + "." + computeCapability % 10 + ", "
                + String.format(Locale.ROOT, "%.1f GiB", totalBytes / (double) (1L << 30));
    }
}
