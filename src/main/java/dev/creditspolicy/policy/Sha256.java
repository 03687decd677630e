package dev.creditspolicy.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The project's one SHA-256: lowercase hex of a string's UTF-8 bytes (rules versions, idempotency hashes). */
public final class Sha256 {
    /**
     * One digest per thread, reused: every request hashes its key and its body, and {@code MessageDigest.getInstance}
     * (a provider look-up) showed among the request threads' hottest frames (issue 27). {@code digest} resets it.
     */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Sha256() {
    }

    public static String hex(String s) {
        return HexFormat.of().formatHex(DIGEST.get().digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
