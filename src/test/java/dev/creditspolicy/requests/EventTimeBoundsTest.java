package dev.creditspolicy.requests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.service.Limits;
import dev.creditspolicy.service.Problem;

/** The bounds of event time on parsed values: the skew against the server clock, years 1 to 9999 answered. */
class EventTimeBoundsTest {
    private static final Instant NOW = Instant.parse("2026-07-01T00:00:00Z");

    @Test
    void theSkewIsInclusiveAndConfigurable() {
        Limits limits = new Limits(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(2), 1000);
        assertDoesNotThrow(() -> limits.admitEventTime("occurredAt", NOW.plus(Duration.ofHours(2))));
        assertDoesNotThrow(() -> limits.admitEventTime("occurredAt", Instant.parse("0001-01-01T00:00:00Z")));
        Problem p = assertThrows(Problem.class, () -> limits.admitEventTime("occurredAt",
                NOW.plus(Duration.ofHours(2)).plusNanos(1000)));
        assertEquals(Problem.VALIDATION_FAILED, p.slug());
        assertEquals("occurredAt", p.field());
        assertTrue(p.getMessage().contains("PT2H"), p.getMessage());
    }

    @Test
    void aHoldThatWouldExpireInYear10000IsRefused() {
        var json = JsonMapper.builder().build();
        String body = "{\"holdId\": \"h1\", \"accountId\": \"a1\", \"product\": \"CLI\", \"feature\": \"QUEST_AGENT\","
                + " \"model\": \"qwen3-coder\", \"credits\": 5, \"occurredAt\": \"%s\"%s}";
        Problem p = assertThrows(Problem.class, () -> Kinds.HOLD.parse(null,
                json.readTree(body.formatted("9999-12-31T23:59:00Z", ""))));
        assertEquals("occurredAt", p.field());
        assertTrue(p.getMessage().contains("10000-01-01T00:14:00Z"), p.getMessage());
        assertThrows(Problem.class, () -> Kinds.HOLD.parse(null,
                json.readTree(body.formatted("9999-12-31T23:00:00Z", ", \"ttlSeconds\": 3600"))));
        assertDoesNotThrow(() -> Kinds.HOLD.parse(null,
                json.readTree(body.formatted("9999-12-31T22:59:59Z", ", \"ttlSeconds\": 3600"))));
    }
}
