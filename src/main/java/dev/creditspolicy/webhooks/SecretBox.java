package dev.creditspolicy.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets at rest: the service must read them back to sign, so they are encrypted, not hashed. AES-256-GCM
 * under the key of {@code credits.webhooks.secret-key} (base64 of 32 bytes), a random 12-byte nonce per secret,
 * the webhook id as associated data (a secret copied to another row does not decrypt). Stored as
 * {@code v1:} base64(nonce || ciphertext+tag).
 */
public final class SecretBox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("credits.webhooks.secret-key must be the base64 of 32 bytes (AES-256); "
                    + "it decodes to " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @throws IllegalArgumentException when the setting is not the base64 of 32 bytes */
    public static SecretBox of(String base64Key) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("credits.webhooks.secret-key is not base64");
        }
        return new SecretBox(decoded);
    }

    /**
     * The development key used on H2 when no key is set: a fixed, published value, so a development database keeps
     * working across restarts. It protects nothing; production sets its own key (the service logs a warning).
     */
    public static SecretBox development() {
        byte[] key = new byte[32];
        byte[] label = "credits-policy development only".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, key, 0, label.length);
        return new SecretBox(key);
    }

    public String seal(String secret, String webhookId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, webhookId);
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalStateException when the stored secret was sealed under another key (or altered) */
    public String open(String stored, String webhookId) {
        if (!stored.startsWith("v1:")) {
            throw new IllegalStateException("unknown secret encoding for webhook " + webhookId);
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(3));
        byte[] nonce = java.util.Arrays.copyOfRange(all, 0, NONCE_BYTES);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, webhookId);
            return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the secret of webhook " + webhookId + " does not decrypt under "
                    + "credits.webhooks.secret-key (was the key changed?)");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String webhookId) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
