package org.edgeq.study;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short stable hashes of canonical definitions: the names of cached base models and the ids of study cells. */
public final class BaseModelKey {
    private BaseModelKey() {
    }

    /** The cache key of {@code base}: the first 12 hex digits of the SHA-256 of its canonical text. */
    public static String of(BaseModelSpec base) {
        return hash12(base.canonical());
    }

    /** The first 12 hex digits (48 bits) of the SHA-256 of {@code text} in UTF-8. */
    public static String hash12(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
