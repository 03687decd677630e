package dev.creditspolicy.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.creditspolicy.store.Store;

/**
 * Viewer tokens: {@code cpv_<payload>.<signature>}, the payload {@code v1|<accountId>|<expiry epoch seconds>} and
 * its HMAC-SHA256 under a secret every instance shares (created in the database at the first start). A token reads
 * one account's balance, lots, credits log and usage until it expires; nothing is stored per token.
 */
public final class ViewerTokens {
    public static final String PREFIX = "cpv_";
    public static final int MAX_TTL_SECONDS = 86_400;
    private static final String SECRET_NAME = "viewer-token-hmac";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A checked token: the account it reads and until when. */
    public record Viewer(String accountId, Instant expiresAt) {
    }

    public record Minted(String token, Instant expiresAt) {
    }

    private final Store store;
    private final Clock clock;
    private volatile byte[] key;

    public ViewerTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Minted mint(String accountId, long ttlSeconds) {
        Instant expiresAt = clock.instant().plusSeconds(ttlSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String payload = B64.encodeToString(("v1|" + accountId + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return new Minted(PREFIX + payload + "." + B64.encodeToString(sign(payload)), expiresAt);
    }

    /** The viewer of a token, or null when it is malformed, tampered with or expired. */
    public Viewer check(String token) {
        if (!token.startsWith(PREFIX)) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String payload = token.substring(PREFIX.length(), dot);
        try {
            // compared as the text minted, not as decoded bytes: base64's unused low bits would otherwise let
            // another spelling of the same signature pass
            byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(given, B64.encodeToString(sign(payload)).getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
            // v1|<account id>|<expiry>: the account id is what lies between the first and the last '|', so an id
            // stored before ids had a syntax (one holding '|') reads back whole
            String text = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            int first = text.indexOf('|');
            int last = text.lastIndexOf('|');
            if (first < 0 || last <= first || !text.substring(0, first).equals("v1")) {
                return null;
            }
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(text.substring(last + 1)));
            return clock.instant().isBefore(expiresAt) ? new Viewer(text.substring(first + 1, last), expiresAt)
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared secret: read from the database, or created there by the first instance that needs it. */
    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            String stored = store.inTransaction(tx -> tx.keys().sharedSecret(SECRET_NAME).orElseGet(() -> {
                String s = Base64.getEncoder().encodeToString(fresh);
                tx.keys().insertSharedSecret(SECRET_NAME, s);
                return s;
            }));
            k = Base64.getDecoder().decode(stored);
            key = k;
        }
        return k;
    }
}
