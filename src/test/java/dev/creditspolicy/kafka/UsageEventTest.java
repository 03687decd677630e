package dev.creditspolicy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.policy.facts.Realm;

/** A usage record read as {@code POST /v1/usage} reads its body; what makes it malformed, and why. */
class UsageEventTest {
    /** As the service's mapper reads (spring.jackson.deserialization.use-big-decimal-for-floats=true). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final String BODY = "{\"requestId\": \"r-1\", \"accountId\": \"alice\", %s\"product\": \"IDE\", "
            + "\"feature\": \"EDITOR_AGENT\", \"model\": \"qwen3-coder\", \"outcome\": \"SUCCEEDED\", "
            + "\"credits\": 1.5, \"occurredAt\": \"2026-07-02T10:00:00Z\"}";

    private static UsageEvent read(String key, String value, String realmHeader) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("credits.usage", 0, 0, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        if (realmHeader != null) {
            r.headers().add("realm", realmHeader.getBytes(StandardCharsets.UTF_8));
        }
        return UsageEvent.read(r, JSON, 1024);
    }

    private static String body(String realm) {
        return String.format(BODY, realm == null ? "" : "\"realm\": \"" + realm + "\", ");
    }

    @Test
    void aWellFormedRecordIsTheCommandOfItsBody() {
        UsageEvent e = read("alice", body(null), null);
        assertTrue(e.wellFormed());
        assertEquals("r-1", e.usage().requestId());
        assertEquals("alice", e.accountId());
        assertNull(e.usage().realm());
    }

    @Test
    void theRealmHeaderIsTheBodysRealm() {
        assertEquals(Realm.QODER_CN, read("alice", body(null), "QODER_CN").usage().realm());
        assertEquals(Realm.QODER_CN, read("alice", body("QODER_CN"), "QODER_CN").usage().realm());
        assertProblem(read("alice", body("QODER_CN"), "QODER"), "realm", "differ");
        assertProblem(read("alice", body(null), "NOWHERE"), "realm", "");
    }

    @Test
    void theKeyMustBeTheBodysAccount() {
        UsageEvent other = read("bob", body(null), null);
        assertProblem(other, "accountId", "key");
        assertEquals("r-1", other.requestId());
        assertEquals("bob", other.accountId(), "the problem is published under the record's key");
        assertProblem(read(null, body(null), null), "accountId", "key");
    }

    @Test
    void whatIsNoUsageBodyIsMalformed() {
        assertProblem(read("alice", "not json", null), null, "not a JSON object");
        assertProblem(read("alice", "[1, 2]", null), null, "not a JSON object");
        assertProblem(read("alice", null, null), null, "no value");
        assertProblem(read("alice", body(null).replace("\"IDE\"", "\"TV\""), null), "product", "");
        UsageEvent big = read("alice", body(null) + " ".repeat(1024), null);
        assertEquals("payload-too-large", big.malformed().slug());
        assertNull(big.requestId(), "nothing of an oversized value is read");
    }

    private static void assertProblem(UsageEvent e, String field, String detail) {
        assertTrue(!e.wellFormed(), () -> "malformed: " + e);
        assertEquals("validation-failed", e.malformed().slug());
        assertEquals(field, e.malformed().field());
        assertTrue(e.malformed().getMessage().contains(detail), e.malformed().getMessage());
    }
}
