package dev.creditspolicy.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The service's signing against the Standard Webhooks specification's published test vector, and secrets at rest. */
class SignatureTest {
    // the vector of the specification's reference libraries (standard-webhooks, libraries/*: "sign works")
    private static final String KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    @DisplayName("Signing the published test vector gives the published signature")
    void publishedVector() {
        assertThat(Signature.sign(KEY, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    @DisplayName("The independent verifier accepts the vector, and refuses another body, id, key or a stale timestamp")
    void verifier() {
        assertThat(StandardWebhooksVerifier.verify(KEY, ID, "" + TIMESTAMP, EXPECTED, BODY, TIMESTAMP + 10)).isTrue();
        assertThat(StandardWebhooksVerifier.verify(KEY, ID, "" + TIMESTAMP, "v2,x v1,nope " + EXPECTED, BODY,
                TIMESTAMP)).as("one matching entry among several").isTrue();
        assertThat(StandardWebhooksVerifier.verify(KEY, ID, "" + TIMESTAMP, EXPECTED, BODY + " ", TIMESTAMP)).isFalse();
        assertThat(StandardWebhooksVerifier.verify(KEY, ID + "x", "" + TIMESTAMP, EXPECTED, BODY, TIMESTAMP)).isFalse();
        assertThat(StandardWebhooksVerifier.verify(Signature.newSecret(), ID, "" + TIMESTAMP, EXPECTED, BODY,
                TIMESTAMP)).isFalse();
        assertThat(StandardWebhooksVerifier.verify(KEY, ID, "" + TIMESTAMP, EXPECTED, BODY, TIMESTAMP + 301))
                .as("older than 5 minutes").isFalse();
    }

    @Test
    @DisplayName("A new secret is whsec_ and the base64 of 24 random bytes, and signs what the verifier accepts")
    void newSecrets() {
        String secret = Signature.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
        assertThat(Signature.newSecret()).isNotEqualTo(secret);
        String sig = Signature.sign(secret, "evt_1", 1_800_000_000L, "{}");
        assertThat(StandardWebhooksVerifier.verify(secret, "evt_1", "1800000000", sig, "{}", 1_800_000_000L)).isTrue();
    }

    @Test
    @DisplayName("Secrets at rest: AES-GCM sealed, bound to their webhook, unreadable under another key")
    void secretBox() {
        SecretBox box = SecretBox.of(Base64.getEncoder().encodeToString(new byte[32]));
        String sealed = box.seal(KEY, "wh_1");
        assertThat(sealed).startsWith("v1:").doesNotContain("MfKQ9r8G");
        assertThat(box.seal(KEY, "wh_1")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, "wh_1")).isEqualTo(KEY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.open(sealed, "wh_2"))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretBox.development().open(sealed, "wh_1"))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretBox.of("c2hvcnQ="))
                .hasMessageContaining("32 bytes");
    }
}
