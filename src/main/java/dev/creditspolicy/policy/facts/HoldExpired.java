package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A hold found expired (neither committed nor released by {@code expiresAt}); {@code held} went back. */
public record HoldExpired(String holdId, BigDecimal held, Instant expiresAt) implements EventSubject {

    @Override
    public String subject() {
        return holdId;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("holdId", holdId);
        data.put("released", held);
        data.put("expiresAt", expiresAt);
        return data;
    }
}
